/** REST error mapping, timeouts, aborts, auth modes, binary downloads and close() settling pending requests. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AriBadRequestError,
  AriClient,
  AriConflictError,
  AriError,
  AriForbiddenError,
  AriHttpError,
  AriMethodNotAllowedError,
  AriNotFoundError,
  AriPreconditionFailedError,
  AriServerError,
  AriUnauthorizedError,
  AriUnprocessableError,
  encodeQuery,
  resolveEndpoint,
} from '../../src/ari/index.js';
import { FakeAriServer } from '../../src/testing/index.js';

const SECRET = 'Pa55-w0rd!';

describe('ARI REST errors', () => {
  let server: FakeAriServer;
  let ari: AriClient;
  before(async () => {
    server = await new FakeAriServer({ username: 'sb', password: SECRET }).listen();
    ari = new AriClient({ url: server.url });
  });
  after(async () => {
    await ari.close();
    await server.close();
  });

  const cases: Array<[number, string, new (...a: never[]) => AriHttpError, string]> = [
    [400, 'Endpoint must be specified', AriBadRequestError, 'ARI_BAD_REQUEST'],
    [401, 'Authentication required', AriUnauthorizedError, 'ARI_UNAUTHORIZED'],
    [403, 'Write access denied', AriForbiddenError, 'ARI_FORBIDDEN'],
    [404, 'Channel not found', AriNotFoundError, 'ARI_NOT_FOUND'],
    [405, 'Method Not Allowed', AriMethodNotAllowedError, 'ARI_METHOD_NOT_ALLOWED'],
    [409, 'Channel not in Stasis application', AriConflictError, 'ARI_CONFLICT'],
    [412, 'Channel in invalid state', AriPreconditionFailedError, 'ARI_PRECONDITION_FAILED'],
    [422, 'Recording not found', AriUnprocessableError, 'ARI_UNPROCESSABLE'],
    [500, 'Allocation failed', AriServerError, 'ARI_SERVER_ERROR'],
    [501, 'Not implemented', AriServerError, 'ARI_SERVER_ERROR'],
    [503, 'Service Unavailable', AriServerError, 'ARI_SERVER_ERROR'],
  ];
  for (const [status, message, cls, code] of cases) {
    test(`${status} becomes ${cls.name} (${code}) with Asterisk's message`, async () => {
      const off = server.fail('POST', '/channels/:channelId/answer', status, message);
      try {
        const err = await ari.channels.answer({ channelId: 'c-1' }).catch((e: unknown) => e);
        assert.ok(err instanceof cls, String(err));
        assert.ok(err instanceof AriHttpError && err instanceof AriError);
        assert.equal(err.code, code);
        assert.equal(err.status, status);
        assert.equal(err.asteriskMessage, message);
        assert.deepEqual(err.request, { method: 'POST', path: '/channels/c-1/answer' });
        assert.ok(err.message.includes(message) && err.message.includes(String(status)));
        assert.ok(!err.message.includes(SECRET));
      } finally {
        off();
      }
    });
  }

  test('an unknown 4xx keeps its status under ARI_HTTP_ERROR; a non-JSON body is kept as the message', async () => {
    const off = server.route('GET', '/sounds', () => ({ status: 418, body: 'short and stout' }));
    try {
      const err = await ari.sounds.list().catch((e: unknown) => e);
      assert.ok(err instanceof AriHttpError);
      assert.equal(err.code, 'ARI_HTTP_ERROR');
      assert.equal(err.status, 418);
      assert.equal(err.asteriskMessage, 'short and stout');
    } finally {
      off();
    }
  });

  test('per-request timeout gives ARI_TIMEOUT; the client keeps working', async () => {
    server.responseDelayMs = 300;
    try {
      const err = await ari.asterisk.ping({ timeoutMs: 20 }).catch((e: unknown) => e);
      assert.ok(err instanceof AriError);
      assert.equal(err.code, 'ARI_TIMEOUT');
    } finally {
      server.responseDelayMs = 0;
    }
    const off = server.route('GET', '/asterisk/ping', () => ({ status: 200, body: { ping: 'pong' } }));
    assert.equal((await ari.asterisk.ping()).ping, 'pong');
    off();
  });

  test('AbortSignal gives ARI_ABORTED, before sending and in flight', async () => {
    const pre = AbortSignal.abort();
    const e1 = await ari.channels.list({ signal: pre }).catch((e: unknown) => e);
    assert.equal((e1 as AriError).code, 'ARI_ABORTED');
    server.responseDelayMs = 200;
    try {
      const ctl = new AbortController();
      const p = ari.channels.list({ signal: ctl.signal });
      setTimeout(() => ctl.abort(), 10);
      const e2 = await p.catch((e: unknown) => e);
      assert.equal((e2 as AriError).code, 'ARI_ABORTED');
    } finally {
      server.responseDelayMs = 0;
    }
  });

  test('variables go in the JSON body, everything else in the query', async () => {
    const off = server.route('POST', '/channels/create', (req) => ({ status: 200, body: { seen: req } }));
    try {
      const reply = (await ari.channels.create({
        endpoint: 'PJSIP/alice',
        app: 'ivr',
        appArgs: ['a', 'b c'],
        channelId: 'x;1',
        variables: { CALLERID_NAME: 'Ana', 'PJSIP_HEADER(add,X-Foo)': 'bar' },
      })) as unknown as { seen: { query: Record<string, string>; body: unknown } };
      assert.deepEqual(reply.seen.query, {
        endpoint: 'PJSIP/alice',
        app: 'ivr',
        appArgs: 'a,b c',
        channelId: 'x;1',
      });
      assert.deepEqual(reply.seen.body, {
        variables: { CALLERID_NAME: 'Ana', 'PJSIP_HEADER(add,X-Foo)': 'bar' },
      });
    } finally {
      off();
    }
  });

  test('ids with reserved characters are encoded as one path segment', async () => {
    const off = server.route('GET', '/channels/:channelId', (req) => ({
      status: 200,
      body: { id: req.params.channelId },
    }));
    try {
      const ch = await ari.channels.get({ channelId: 'a/b?c#d;2 e' });
      assert.equal(ch.id, 'a/b?c#d;2 e');
    } finally {
      off();
    }
    assert.equal(
      encodeQuery({ a: 'x\r\nInjected: 1', b: true, c: undefined }),
      '?a=x%0D%0AInjected%3A+1&b=true',
    );
  });

  test('stored recordings download as a stream', async () => {
    const audio = Buffer.alloc(64 * 1024, 7);
    const off = server.route('GET', '/recordings/stored/:name/file', (req) =>
      req.params.name === 'greeting'
        ? { status: 200, body: audio.toString('latin1'), headers: [['Content-Type', 'audio/wav']] }
        : { status: 404, body: { message: 'Recording not found' } },
    );
    try {
      const file = await ari.recordings.getStoredFile({ recordingName: 'greeting' });
      const chunks: Buffer[] = [];
      for await (const c of file.stream) chunks.push(c as Buffer);
      assert.equal(Buffer.concat(chunks).length, Buffer.byteLength(audio.toString('latin1')));
      const ctl = new AbortController();
      const aborted = await ari.recordings.getStoredFile(
        { recordingName: 'greeting' },
        { signal: ctl.signal },
      );
      ctl.abort();
      const streamErr = await (async () => {
        for await (const _c of aborted.stream) {
          // nothing: the abort must end the loop with an error
        }
      })().catch((e: unknown) => e);
      assert.equal((streamErr as { code?: string }).code, 'ARI_ABORTED');
      const missing = await ari.recordings.getStoredFile({ recordingName: 'nope' }).catch((e: unknown) => e);
      assert.ok(missing instanceof AriNotFoundError);
      assert.equal(missing.asteriskMessage, 'Recording not found');
    } finally {
      off();
    }
  });

  test('api_key authentication; read-only users get 403 on writes', async () => {
    const keyed = new AriClient({ url: server.baseUrl, username: 'sb', password: SECRET, auth: 'api_key' });
    const off = server.route('GET', '/asterisk/ping', () => ({ status: 200, body: { ping: 'pong' } }));
    try {
      assert.equal((await keyed.asterisk.ping()).ping, 'pong');
      assert.equal(server.requests.at(-1)?.headers.authorization, undefined);
    } finally {
      off();
      await keyed.close();
    }
    const ro = await new FakeAriServer({ readOnly: true }).listen();
    const roClient = new AriClient({ url: ro.url });
    try {
      const err = await roClient.channels.hangup({ channelId: 'x' }).catch((e: unknown) => e);
      assert.ok(err instanceof AriForbiddenError);
      assert.equal(err.asteriskMessage, 'Write access denied');
    } finally {
      await roClient.close();
      await ro.close();
    }
  });

  test('connection refused is ARI_CONNECTION and names the URL without the password', async () => {
    const dead = await new FakeAriServer().listen();
    const url = `http://sb:${SECRET}@127.0.0.1:${dead.port}/asterisk`;
    await dead.close();
    const c = new AriClient({ url });
    try {
      const err = await c.asterisk.ping().catch((e: unknown) => e);
      assert.ok(err instanceof AriError);
      assert.equal(err.code, 'ARI_CONNECTION');
      assert.ok(err.message.includes(`127.0.0.1:${dead.port}/asterisk/ari`));
      assert.ok(!err.message.includes(SECRET));
    } finally {
      await c.close();
    }
  });

  test('close() settles pending requests with ARI_CLOSED and is idempotent', async () => {
    const c = new AriClient({ url: server.url });
    server.responseDelayMs = 200;
    try {
      const p = c.channels.list();
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(c.stats().pendingRequests, 1);
      await c.close();
      await c.close();
      const err = await p.catch((e: unknown) => e);
      assert.equal((err as AriError).code, 'ARI_CLOSED');
      const after = await c.channels.list().catch((e: unknown) => e);
      assert.equal((after as AriError).code, 'ARI_CLOSED');
    } finally {
      server.responseDelayMs = 0;
    }
  });
});

describe('ARI connection URL', () => {
  test('prefix kept, /ari appended once, credentials moved to the header', () => {
    const ep = resolveEndpoint({ url: 'http://user:p%40ss@pbx.example:8088/asterisk/' });
    assert.equal(ep.baseUrl, 'http://pbx.example:8088/asterisk/ari');
    assert.equal(ep.eventsUrl, 'ws://pbx.example:8088/asterisk/ari/events');
    assert.equal(ep.authorization, `Basic ${Buffer.from('user:p@ss').toString('base64')}`);
    assert.equal(resolveEndpoint({ url: 'https://h/ari' }).eventsUrl, 'wss://h/ari/events');
    assert.ok(!ep.display.includes('p%40ss'));
  });
  test('a bad URL is refused without echoing it', () => {
    assert.throws(
      () => resolveEndpoint({ url: `nonsense ${SECRET}` }),
      (e: unknown) =>
        e instanceof AriError && e.code === 'ARI_INVALID_ARGUMENT' && !e.message.includes(SECRET),
    );
  });
});

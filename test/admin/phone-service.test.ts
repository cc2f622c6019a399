/**
 * PhoneService without HTTP on a chan_sip PBX: import of SIPpeers as not managed, create/rotate/remove of a peer,
 * a given secret refused when a config file would eat it, audit details and the server log without secrets.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { PHONES_DEFAULTS, type PhoneAudit, PhoneService } from '../../src/admin/index.js';
import { AmiClient } from '../../src/ami/index.js';
import { loadConfig } from '../../src/server/config.js';
import { startServer } from '../../src/server/server.js';
import { openStore, type Store } from '../../src/store/index.js';
import { waitUntil } from '../helpers/wait.js';
import { FakeAsteriskConfig } from './fake-asterisk-config.js';

describe('PhoneService on chan_sip', () => {
  let fake: FakeAsteriskConfig;
  let ami: AmiClient;
  let store: Store;
  let svc: PhoneService;
  const audits: PhoneAudit[] = [];
  before(async () => {
    fake = await FakeAsteriskConfig.start({ driver: 'chan_sip', existing: ['alonso', 'manuel', 'reina'] });
    ami = new AmiClient({ url: fake.server.url(), events: 'off', reconnect: false, keepalive: false });
    await ami.connect();
    store = await openStore({ url: ':memory:' });
    svc = new PhoneService({
      db: store.db,
      config: { ...PHONES_DEFAULTS, codecs: ['ulaw'], secretKey: 'sixteen chars or more' },
      pbx: () => ({ id: 'old', ami }),
      provisioningUrl: () => 'http://pbx/provisioning',
      audit: (a) => audits.push(a),
    });
  });
  after(async () => {
    await ami.close();
    await store.close();
    await fake.close();
  });

  it('imports SIPpeers as not managed', async () => {
    const r = await svc.importFromPbx();
    assert.deepEqual(
      r.imported.map((p) => [p.extension, p.managed, p.driver]),
      [
        ['alonso', false, 'chan_sip'],
        ['manuel', false, 'chan_sip'],
        ['reina', false, 'chan_sip'],
      ],
    );
  });

  it('creates, rotates and removes a peer in sip.conf; the stored secret is sealed', async () => {
    const c = await svc.create({
      extension: '2001',
      name: 'Elio Rojano',
      brand: 'snom',
      model: 'D385',
      mac: '000413aabbcc',
      context: 'oficina2',
    });
    assert.equal(new Map(fake.category('sip.conf', '2001')).get('secret'), c.secret);
    const row = await svc.phones.find('old', '2001');
    assert.match(row!.sealedSecret!, /^v1:/);
    assert.ok(!row!.sealedSecret!.includes(c.secret));
    const r = await svc.rotateSecret('2001');
    assert.equal(new Map(fake.category('sip.conf', '2001')).get('secret'), r.secret);
    assert.equal((await svc.forProvisioning((await svc.phones.find('old', '2001'))!)).secret, r.secret);
    await svc.remove('2001');
    assert.equal(fake.category('sip.conf', '2001'), undefined);
    for (const a of audits) {
      assert.ok(!a.detail.includes(c.secret) && !a.detail.includes(r.secret), a.detail);
    }
    assert.deepEqual(
      audits.map((a) => `${a.action}:${a.outcome}`),
      ['phone.import:ok', 'phone.create:ok', 'phone.rotate-secret:ok', 'phone.delete:ok'],
    );
  });

  it('refuses a given secret with characters a config file would eat', async () => {
    await assert.rejects(
      svc.create({ extension: '2002', name: 'X', brand: 'generic', secret: 'abc;def' }),
      (e: Error & { code: string; field: string }) => e.code === 'ADMIN_INVALID' && e.field === 'secret',
    );
    assert.equal(fake.category('sip.conf', '2002'), undefined);
  });
});

describe('the server log never holds a phone secret', () => {
  it('logs of a create, a refused create and a rotation at debug level carry no secret', async () => {
    const fake = await FakeAsteriskConfig.start({ driver: 'pjsip' });
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const server = await startServer({
      config: loadConfig({
        env: {},
        flags: {
          http: { host: '127.0.0.1', port: 0 },
          db: ':memory:',
          pbx: [{ id: 'pbx1', ami: fake.server.url() }],
        },
      }),
      logger: pino({ level: 'debug' }, sink),
      amiOptions: { keepalive: false },
      services: [],
    });
    try {
      await waitUntil(() => server.context.pbx.links.get('pbx1')?.state === 'ready', 'link');
      await server.context.auth.createAccount({
        name: 'ana',
        role: 'admin',
        password: 'correct horse battery',
        extensions: [],
      });
      const { token } = await server.context.auth.createToken({ name: 't', account: 'ana', scope: 'all' });
      const call = async (method: string, path: string, body?: unknown) => {
        const r = await fetch(server.url + path, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        return (await r.json()) as { secret?: string; provisioning?: { password: string } };
      };
      const a = await call('POST', '/api/v1/phones', {
        extension: '2001',
        name: 'A',
        brand: 'yealink',
        mac: '001565000001',
      });
      fake.refuseUpdate = 'Save of config failed';
      await call('POST', '/api/v1/phones', {
        extension: '2002',
        name: 'B',
        brand: 'yealink',
        mac: '001565000002',
      });
      const b = await call('POST', '/api/v1/phones/2001/rotate-secret');
      const secrets = [a.secret, a.provisioning?.password, b.secret, b.provisioning?.password];
      assert.ok(secrets.every((s) => typeof s === 'string' && s.length === 20));
      assert.ok(lines.length > 0);
      for (const s of secrets) assert.ok(!lines.join('').includes(s!), 'a secret reached the log');
    } finally {
      await server.close();
      await fake.close();
    }
  });
});

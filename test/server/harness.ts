/**
 * A server under test: `switchboard serve` in-process on 127.0.0.1 (ephemeral port), SQLite in memory or a
 * given store, connected to fake AMI servers; helpers to sign in and call the API like a browser or a program.
 */
import pino from 'pino';
import { loadConfig, type ServerConfig } from '../../src/server/config.js';
import type { ServerService } from '../../src/server/context.js';
import { type RunningServer, startServer } from '../../src/server/server.js';
import { openStore, type Store } from '../../src/store/index.js';
import { FakeAmiServer } from '../../src/testing/index.js';

/** A started server with its fakes. */
export interface Harness {
  server: RunningServer;
  url: string;
  ami: FakeAmiServer[];
  store: Store;
  close(): Promise<void>;
  /** Creates an account. */
  user(name: string, role: string, o?: { password?: string; extensions?: string[] }): Promise<void>;
  /** Signs in; returns a client that sends the cookie and the CSRF header. */
  login(name: string, password?: string): Promise<ApiClient>;
  /** A client with a bearer token for the user. */
  token(name: string, scope?: 'all' | 'click-to-dial'): Promise<ApiClient>;
  /** A client with no credentials. */
  anonymous(): ApiClient;
}

/** A tiny API client. */
export interface ApiClient {
  headers: Record<string, string>;
  call(
    method: string,
    path: string,
    body?: unknown,
    extra?: Record<string, string>,
    // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
  ): Promise<{ status: number; body: any; headers: Headers; text: string }>;
}

function client(base: string, headers: Record<string, string>): ApiClient {
  return {
    headers,
    async call(method, path, body, extra = {}) {
      const res = await fetch(base + path, {
        method,
        headers: {
          ...headers,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...extra,
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: res.status, body: parsed, headers: res.headers, text };
    },
  };
}

/** Options of {@link startHarness}. */
export interface HarnessOptions {
  /** Number of fake PBXs (default 1), or prepared fakes. */
  pbx?: number | FakeAmiServer[];
  /** Extra config (merged as flags). */
  config?: Record<string, unknown>;
  /** Use this store (e.g. PostgreSQL) instead of a fresh in-memory SQLite. */
  store?: Store;
  services?: readonly ServerService[];
}

/** The password the harness gives users unless told otherwise. */
export const PASSWORD = 'correct horse battery';

/** Starts a server on fakes. */
export async function startHarness(o: HarnessOptions = {}): Promise<Harness> {
  const ami = Array.isArray(o.pbx)
    ? o.pbx
    : await Promise.all(Array.from({ length: o.pbx ?? 1 }, () => FakeAmiServer.start()));
  const store = o.store ?? (await openStore({ url: ':memory:' }));
  const config: ServerConfig = loadConfig({
    env: {},
    flags: {
      http: { host: '127.0.0.1', port: 0 },
      pbx: ami.map((a, i) => ({
        id: `pbx${i + 1}`,
        ami: a.url(),
        clickToDial: { channel: 'PJSIP/$' + '{from}', context: 'oficina2', timeout: 30 },
      })),
      ...o.config,
    },
  });
  const server = await startServer({
    config,
    store,
    logger: pino({ level: 'silent' }),
    amiOptions: { reconnect: { initialDelay: 20, maxDelay: 200 }, keepalive: false },
    ...(o.services ? { services: o.services } : {}),
  });
  const h: Harness = {
    server,
    url: server.url,
    ami,
    store,
    async close() {
      await server.close();
      if (!o.store) await store.close();
      if (!Array.isArray(o.pbx)) await Promise.all(ami.map((a) => a.close()));
    },
    async user(name, role, uo = {}) {
      await server.context.auth.createAccount({
        name,
        role: role as 'admin',
        password: uo.password ?? PASSWORD,
        extensions: uo.extensions ?? [],
      });
    },
    async login(name, password = PASSWORD) {
      const anon = client(server.url, {});
      const r = await anon.call('POST', '/api/v1/session', { username: name, password });
      if (r.status !== 200) throw new Error(`login ${name}: ${r.status} ${r.text}`);
      const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0]!;
      return client(server.url, { cookie, 'x-csrf-token': r.body.csrfToken });
    },
    async token(name, scope = 'all') {
      const { token } = await server.context.auth.createToken({ name: `t-${name}`, account: name, scope });
      return client(server.url, { authorization: `Bearer ${token}` });
    },
    anonymous: () => client(server.url, {}),
  };
  return h;
}

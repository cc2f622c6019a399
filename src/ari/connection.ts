/** Parses an ARI connection URL (`http://user:password@host:8088/asterisk`) into a credential-free base and auth. */
import { AriInvalidArgumentError } from './errors.js';

/** How to authenticate: HTTP Basic (default) or the `api_key=user:password` query parameter. */
export type AriAuthMode = 'basic' | 'api_key';

/** Where and how to reach ARI. */
export interface AriConnectionOptions {
  /**
   * Base URL including the http.conf prefix, e.g. `http://user:password@127.0.0.1:8088/asterisk`.
   * `/ari` is appended unless the URL already ends with it.
   */
  url: string;
  /** User name (overrides the one in the URL). */
  username?: string;
  /** Password (overrides the one in the URL). Never logged or put in error messages. */
  password?: string;
  /** Authentication mode; `basic` unless given. */
  auth?: AriAuthMode;
}

/** A resolved connection: URLs without credentials plus how to authenticate. */
export interface AriEndpoint {
  /** `http(s)://host:port[/prefix]/ari`, no credentials, no trailing slash. */
  readonly baseUrl: string;
  /** `ws(s)://host:port[/prefix]/ari/events`. */
  readonly eventsUrl: string;
  /** Safe description for messages: the base URL (never the password). */
  readonly display: string;
  /** Authentication mode. */
  readonly auth: AriAuthMode;
  /** User name, or undefined when none was configured. */
  readonly username: string | undefined;
  /** `Authorization` header value for Basic auth, or undefined. */
  readonly authorization: string | undefined;
  /** `user:password` for the api_key query parameter, or undefined. */
  readonly apiKey: string | undefined;
}

/** Resolves connection options into an {@link AriEndpoint}; throws {@link AriInvalidArgumentError} on a bad URL. */
export function resolveEndpoint(options: AriConnectionOptions): AriEndpoint {
  let parsed: URL;
  try {
    parsed = new URL(options.url);
  } catch {
    // The URL may hold a password: do not echo it.
    throw new AriInvalidArgumentError(
      'ARI url is not a valid URL (expected http://user:password@host:8088/prefix)',
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new AriInvalidArgumentError(`ARI url must be http: or https:, got ${parsed.protocol}`);
  }
  const username = options.username ?? (parsed.username ? decodeURIComponent(parsed.username) : undefined);
  const password = options.password ?? (parsed.password ? decodeURIComponent(parsed.password) : undefined);
  parsed.username = '';
  parsed.password = '';
  parsed.search = '';
  parsed.hash = '';
  let path = parsed.pathname.replace(/\/+$/, '');
  if (!path.endsWith('/ari')) path += '/ari';
  const origin = `${parsed.protocol}//${parsed.host}`;
  const baseUrl = origin + path;
  const eventsUrl = `${parsed.protocol === 'https:' ? 'wss:' : 'ws:'}//${parsed.host}${path}/events`;
  const auth = options.auth ?? 'basic';
  const hasCreds = username !== undefined;
  return {
    baseUrl,
    eventsUrl,
    display: baseUrl,
    auth,
    username,
    authorization:
      hasCreds && auth === 'basic'
        ? `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`
        : undefined,
    apiKey: hasCreds && auth === 'api_key' ? `${username}:${password ?? ''}` : undefined,
  };
}

/** Replaces any password in a string (e.g. an error message quoting a URL) with `***`. */
export function redact(text: string, endpoint: AriEndpoint): string {
  let out = text.replace(/(\/\/[^/:@\s]*:)[^@/\s]*@/g, '$1***@');
  if (endpoint.apiKey) out = out.split(endpoint.apiKey).join('***');
  if (endpoint.apiKey) out = out.split(encodeURIComponent(endpoint.apiKey)).join('***');
  return out;
}

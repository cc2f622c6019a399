import { AmiUrlError } from './errors.js';

/** Where and how to reach Asterisk, parsed from an `ami://`, `amis://`, `http://` or `https://` URL. */
export interface AmiEndpoint {
  /** `tcp` (ami://), `tls` (amis://) or `http` (http:// and https://, AJAM `/rawman`). */
  readonly transport: 'tcp' | 'tls' | 'http';
  readonly host: string;
  readonly port: number;
  readonly username: string;
  /** For AJAM: `http:` or `https:`. */
  readonly protocol: string;
  /** For AJAM: the `/rawman` (or, for Digest, `/arawman`) path under the prefix, e.g. `/asterisk/rawman`. */
  readonly path: string;
  /** The URL without its secret, safe to log. */
  readonly display: string;
}

/** Parses a connection URL; the secret is returned apart so that it never travels with the endpoint. */
export function parseAmiUrl(url: string): { endpoint: AmiEndpoint; secret: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new AmiUrlError('AMI url is not a valid URL (expected ami://user:secret@host:5038)');
  }
  const scheme = u.protocol;
  const transport =
    scheme === 'ami:'
      ? 'tcp'
      : scheme === 'amis:'
        ? 'tls'
        : scheme === 'http:' || scheme === 'https:'
          ? 'http'
          : null;
  if (transport === null) {
    throw new AmiUrlError(
      `AMI url scheme ${scheme} is not supported (use ami://, amis://, http:// or https://)`,
    );
  }
  const username = decodeURIComponent(u.username);
  const secret = decodeURIComponent(u.password);
  if (username === '') throw new AmiUrlError('AMI url has no user name (expected ami://user:secret@host)');
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new AmiUrlError('AMI url has no host');
  const defaultPort =
    transport === 'tcp' ? 5038 : transport === 'tls' ? 5039 : scheme === 'https:' ? 8089 : 8088;
  const port = u.port === '' ? defaultPort : Number(u.port);
  let path = '';
  if (transport === 'http') {
    const base = u.pathname.replace(/\/+$/, '');
    path = base.endsWith('/rawman') || base.endsWith('/arawman') ? base : `${base}/rawman`;
  }
  const display = `${scheme}//${encodeURIComponent(username)}@${u.host}${transport === 'http' ? path : ''}`;
  return {
    endpoint: { transport, host, port, username, protocol: scheme, path, display },
    secret,
  };
}

/** How Asterisk's HTTP server writes ARI replies and refuses WebSocket upgrades (headers, JSON, lengths). */
import http, { type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** Writes a reply with Asterisk's headers: Server, Date, Cache-Control, extras, Content-type, Content-Length. */
export function writeAriReply(
  res: ServerResponse,
  serverHeader: string,
  status: number,
  statusMessage: string | undefined,
  body: unknown,
  extra: Array<[string, string]> = [],
): void {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Array<[string, string]> = [
    ['Server', serverHeader],
    ['Date', new Date().toUTCString()],
    ['Cache-Control', 'no-cache, no-store'],
    ...extra,
  ];
  if (text && !extra.some(([k]) => k.toLowerCase() === 'content-type'))
    headers.push(['Content-type', 'application/json']);
  headers.push(['Content-Length', String(Buffer.byteLength(text))]);
  res.writeHead(status, statusMessage ?? http.STATUS_CODES[status] ?? '', headers.flat());
  res.end(text);
}

/** Answers a WebSocket upgrade request with an HTTP error and closes the socket. */
export function rejectUpgrade(
  socket: Duplex,
  serverHeader: string,
  status: number,
  reason: string,
  body: object,
  extra: string[] = [],
): void {
  const text = JSON.stringify(body);
  socket.end(
    [
      `HTTP/1.1 ${status} ${reason}`,
      `Server: ${serverHeader}`,
      'Cache-Control: no-cache, no-store',
      ...extra,
      'Content-type: application/json',
      `Content-Length: ${Buffer.byteLength(text)}`,
      'Connection: close',
      '',
      text,
    ].join('\r\n'),
  );
}

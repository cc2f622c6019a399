/** A throwaway self-signed certificate for 127.0.0.1/localhost, made with openssl for TLS tests. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Files and contents of a test certificate; `remove()` deletes its directory. */
export interface TestCertificate {
  readonly keyPath: string;
  readonly certPath: string;
  readonly key: Buffer;
  readonly cert: string;
  remove(): void;
}

/** Makes an EC P-256 certificate valid for one day, with subjectAltName IP:127.0.0.1 and DNS:localhost. */
export function makeTestCertificate(prefix = 'sb-tls-'): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
      ['-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=localhost'],
      ['-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
    ].flat(),
    { stdio: 'ignore' },
  );
  return {
    keyPath,
    certPath,
    key: readFileSync(keyPath),
    cert: readFileSync(certPath, 'utf8'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

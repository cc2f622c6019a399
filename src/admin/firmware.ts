/**
 * Phone firmware files on disk: `<dir>/<brand>/<model>/<version>/<file>` with a `<file>.sha256` next to each and a
 * `<dir>/<brand>/<model>/current` naming the version phones of that model are given. Uploads stream to a temporary
 * file, are hashed on the way and refused past `maxBytes` (nothing is left behind), then renamed into place. The
 * directory is the only store: listing reads it, so files copied in by hand with their checksum show up too.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AdminError } from './errors.js';
import { BRANDS } from './phone.js';

/** One stored firmware file. */
export interface FirmwareFile {
  brand: string;
  model: string;
  version: string;
  filename: string;
  size: number;
  sha256: string;
  uploadedAt: string;
  /** This version is the one the model's phones are given. */
  current: boolean;
}

/** Why an upload failed (`ADMIN_FIRMWARE_TOO_LARGE`: 413). */
export class FirmwareTooLargeError extends Error {
  /** Stable code. */
  readonly code = 'ADMIN_FIRMWARE_TOO_LARGE';
  constructor(readonly maxBytes: number) {
    super(`the firmware file is larger than firmware.maxBytes (${maxBytes} bytes)`);
    this.name = 'FirmwareTooLargeError';
  }
}

/** HTTP statuses of this file's codes. */
export const FIRMWARE_ERROR_STATUS = { ADMIN_FIRMWARE_TOO_LARGE: 413 } as const;

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.+-]{0,79}$/;

/** Checks one path segment (brand, model, version, file name): no separators, no `..`, no control characters. */
export function checkSegment(field: string, v: string): string {
  if (!NAME.test(v) || v.includes('..'))
    throw new AdminError('ADMIN_INVALID', `${field}: 1 to 80 letters, digits and _ . + - (no ..)`, field);
  return v;
}

function checkBrand(b: string): string {
  const x = b.toLowerCase();
  if (!(BRANDS as readonly string[]).includes(x))
    throw new AdminError('ADMIN_INVALID', `brand: one of ${BRANDS.join(', ')}`, 'brand');
  return x;
}

/** Firmware files under one directory. */
export class FirmwareStore {
  /**
   * @param dir the firmware directory (created on the first upload)
   * @param maxBytes largest file accepted
   */
  constructor(
    readonly dir: string,
    readonly maxBytes: number,
  ) {}

  #path(brand: string, model: string, version?: string, file?: string): string {
    const parts = [checkBrand(brand), checkSegment('model', model)];
    if (version !== undefined) parts.push(checkSegment('version', version));
    if (file !== undefined) parts.push(checkSegment('filename', file));
    return join(this.dir, ...parts);
  }

  /** Stores an upload (streamed, hashed, size-limited); a file of the same name and version is replaced. */
  async save(
    body: Readable,
    m: { brand: string; model: string; version: string; filename: string },
  ): Promise<FirmwareFile> {
    const target = this.#path(m.brand, m.model, m.version, m.filename);
    if (m.filename.endsWith('.sha256'))
      throw new AdminError('ADMIN_INVALID', 'filename: not *.sha256', 'filename');
    await mkdir(join(target, '..'), { recursive: true });
    const tmp = `${target}.upload-${process.pid}-${Date.now()}`;
    const hash = createHash('sha256');
    let size = 0;
    const max = this.maxBytes;
    try {
      await pipeline(
        body,
        async function* (src: AsyncIterable<Buffer>) {
          for await (const chunk of src) {
            size += chunk.length;
            if (size > max) throw new FirmwareTooLargeError(max);
            hash.update(chunk);
            yield chunk;
          }
        },
        createWriteStream(tmp, { flags: 'wx' }),
      );
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    const sha256 = hash.digest('hex');
    await rename(tmp, target);
    await writeFile(`${target}.sha256`, `${sha256}  ${m.filename}\n`);
    const files = await this.list({ brand: m.brand, model: m.model });
    const f = files.find((x) => x.version === m.version && x.filename === m.filename);
    if (!f) throw new Error('firmware file vanished after upload');
    return f;
  }

  /** Every file (optionally of one brand / model), newest version first. */
  async list(filter: { brand?: string; model?: string } = {}): Promise<FirmwareFile[]> {
    const out: FirmwareFile[] = [];
    const dirs = async (p: string) =>
      (await readdir(p, { withFileTypes: true }).catch(() => []))
        .filter((d) => d.isDirectory())
        .map((d) => d.name);
    for (const brand of await dirs(this.dir)) {
      if (filter.brand && brand !== filter.brand.toLowerCase()) continue;
      for (const model of await dirs(join(this.dir, brand))) {
        if (filter.model && model.toLowerCase() !== filter.model.toLowerCase()) continue;
        const current = await this.current(brand, model).catch(() => undefined);
        for (const version of await dirs(join(this.dir, brand, model))) {
          const vdir = join(this.dir, brand, model, version);
          for (const e of await readdir(vdir, { withFileTypes: true })) {
            if (!e.isFile() || e.name.endsWith('.sha256') || e.name.includes('.upload-')) continue;
            const st = await stat(join(vdir, e.name));
            const sum = await readFile(join(vdir, `${e.name}.sha256`), 'utf8').catch(() => '');
            out.push({
              brand,
              model,
              version,
              filename: e.name,
              size: st.size,
              sha256: sum.split(/\s/)[0] ?? '',
              uploadedAt: st.mtime.toISOString(),
              current: current === version,
            });
          }
        }
      }
    }
    return out.sort(
      (a, b) =>
        a.brand.localeCompare(b.brand) ||
        a.model.localeCompare(b.model) ||
        b.version.localeCompare(a.version, undefined, { numeric: true }) ||
        a.filename.localeCompare(b.filename),
    );
  }

  /** Removes one file (and its checksum); `ADMIN_NOT_FOUND` when absent. A removed current version stops being current. */
  async remove(brand: string, model: string, version: string, filename: string): Promise<void> {
    const p = this.#path(brand, model, version, filename);
    if (!(await stat(p).catch(() => undefined)))
      throw new AdminError('ADMIN_NOT_FOUND', 'no such firmware file');
    await rm(p);
    await rm(`${p}.sha256`, { force: true });
    const left = await readdir(join(p, '..')).catch(() => []);
    if (left.length === 0) {
      await rm(join(p, '..'), { recursive: true, force: true });
      if ((await this.current(brand, model)) === version) await rm(join(this.#path(brand, model), 'current'));
    }
  }

  /** Makes a stored version the one the model's phones are given (`version: null` clears it). */
  async setCurrent(brand: string, model: string, version: string | null): Promise<void> {
    const dir = this.#path(brand, model);
    if (version === null) {
      await rm(join(dir, 'current'), { force: true });
      return;
    }
    const v = checkSegment('version', version);
    if (!(await stat(join(dir, v)).catch(() => undefined)))
      throw new AdminError('ADMIN_NOT_FOUND', `no firmware ${v} for ${brand} ${model}`, 'version');
    await writeFile(join(dir, 'current'), `${v}\n`);
  }

  /** The current version of a model, or undefined. */
  async current(brand: string, model: string): Promise<string | undefined> {
    const t = await readFile(join(this.#path(brand, model), 'current'), 'utf8').catch(() => undefined);
    return t?.trim() || undefined;
  }

  /** The current firmware file of a model (the first file of that version), or undefined. */
  async currentFile(brand: string, model: string): Promise<FirmwareFile | undefined> {
    const version = await this.current(brand, model);
    if (!version) return undefined;
    return (await this.list({ brand, model })).find((f) => f.version === version && f.model === model);
  }

  /** Opens a stored file for reading, or undefined. */
  async open(
    brand: string,
    model: string,
    version: string,
    filename: string,
  ): Promise<{ stream: ReadStream; size: number } | undefined> {
    const p = this.#path(brand, model, version, filename);
    const st = await stat(p).catch(() => undefined);
    if (!st?.isFile()) return undefined;
    return { stream: createReadStream(p), size: st.size };
  }
}

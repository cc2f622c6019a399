// Loads the recorded AMI transcripts (test/fixtures/*/ami and agi/*.ami.*) for replay tests.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One recorded AMI session. */
export interface AmiFixture {
  /** e.g. `asterisk-13/ami/command-output` */
  name: string;
  /** The `.raw` bytes (all `in` data concatenated). */
  raw: Buffer;
  /** The `in` chunks exactly as received (one per recv()). */
  chunks: Buffer[];
  /** The `out` writes of the recording client. */
  outs: string[];
}

export const fixturesRoot = new URL('../fixtures/', import.meta.url).pathname;

interface Rec {
  dir: 'in' | 'out';
  data: string;
  encoding?: string;
  eof?: boolean;
  close?: boolean;
}

/** Reads the `in` chunks / `out` writes of a `.jsonl` AMI transcript. */
export function readJsonl(path: string): { chunks: Buffer[]; outs: string[] } {
  const chunks: Buffer[] = [];
  const outs: string[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const r = JSON.parse(line) as Rec;
    if (r.dir === 'in' && r.data !== '') {
      chunks.push(Buffer.from(r.data, r.encoding === 'latin-1' ? 'latin1' : 'utf8'));
    } else if (r.dir === 'out' && r.data !== '') outs.push(r.data);
  }
  return { chunks, outs };
}

/** Every AMI transcript of every recorded Asterisk version. */
export function amiFixtures(): AmiFixture[] {
  const out: AmiFixture[] = [];
  for (const version of ['asterisk', 'asterisk-13', 'asterisk-11']) {
    for (const sub of ['ami', 'agi']) {
      const dir = join(fixturesRoot, version, sub);
      for (const f of readdirSync(dir).sort()) {
        if (!f.endsWith('.jsonl')) continue;
        if (sub === 'agi' && !f.endsWith('.ami.jsonl')) continue;
        const base = f.slice(0, -'.jsonl'.length);
        const { chunks, outs } = readJsonl(join(dir, f));
        out.push({
          name: `${version}/${sub}/${base}`,
          raw: readFileSync(join(dir, `${base}.raw`)),
          chunks,
          outs,
        });
      }
    }
  }
  return out;
}

/** Loads one fixture by name, e.g. `asterisk/ami/ping`. */
export function amiFixture(name: string): AmiFixture {
  const f = amiFixtures().find((x) => x.name === name);
  if (!f) throw new Error(`no fixture ${name}`);
  return f;
}

/**
 * Independent reference count of packets, line by line (deliberately naive and different from the parser):
 * a packet is a run of non-empty lines ended by an empty line; a `Response: Follows` packet runs until the
 * blank line that follows `--END COMMAND--`. The banner (first line, no colon) is not a packet.
 */
export function referencePacketCount(raw: Buffer): number {
  const lines = raw.toString('latin1').split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  let i = 0;
  if (lines[0] !== undefined && !lines[0].includes(':')) i = 1;
  let count = 0;
  let inPacket = false;
  let follows = false;
  let sawSentinel = false;
  for (; i < lines.length; i++) {
    const l = lines[i]!.replace(/\r$/, '');
    if (follows) {
      if (l.includes('--END COMMAND--')) sawSentinel = true;
      else if (sawSentinel && l === '') {
        count++;
        follows = false;
        inPacket = false;
      }
      continue;
    }
    if (l === '') {
      if (inPacket) count++;
      inPacket = false;
      continue;
    }
    if (!inPacket && l === 'Response: Follows') {
      follows = true;
      sawSentinel = false;
    }
    inPacket = true;
  }
  return count;
}

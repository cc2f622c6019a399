/** Test helper: loads the real FastAGI transcripts under test/fixtures/. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TranscriptRecord {
  dir: 'in' | 'out';
  t: number;
  data: string;
  eof?: boolean;
  close?: boolean;
}

const fixtures = new URL('../fixtures/', import.meta.url).pathname;

export function readTranscript(path: string): TranscriptRecord[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as TranscriptRecord);
}

/** Every FastAGI transcript (not the .ami.jsonl companions): [label, path]. */
export function fastAgiTranscripts(): [string, string][] {
  const out: [string, string][] = [];
  for (const version of ['asterisk', 'asterisk-13', 'asterisk-11']) {
    const dir = join(fixtures, version, 'agi');
    for (const f of readdirSync(dir).sort()) {
      if (f.endsWith('.jsonl') && !f.endsWith('.ami.jsonl')) out.push([`${version}/${f}`, join(dir, f)]);
    }
  }
  return out;
}

export function fixturePath(rel: string): string {
  return join(fixtures, rel);
}

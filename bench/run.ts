/**
 * `npm run bench`: runs every benchmark of the project in one process, one after the other, and prints their
 * Markdown tables (also written to bench/results.md so the README can quote the latest run).
 * Usage: npm run bench [-- ami agi …] to run only some of them.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

const suites = ['ami', 'agi', 'ari', 'pbx', 'router', 'live', 'history', 'web', 'webhooks'] as const;
const wanted = process.argv.slice(2);
const selected = suites.filter((s) => wanted.length === 0 || wanted.includes(s));

const header = [
  `# Benchmarks — ${new Date().toISOString()}`,
  '',
  `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB.`,
  '',
];
const sections: string[] = [];
for (const name of selected) {
  const file = new URL(`./${name}.ts`, import.meta.url);
  if (!existsSync(file)) continue;
  process.stderr.write(`bench: ${name}…\n`);
  const mod = (await import(file.href)) as { run?: () => Promise<string> };
  if (typeof mod.run !== 'function') throw new Error(`bench/${name}.ts does not export run()`);
  const table = await mod.run();
  sections.push(`## ${name}\n\n${table.trim()}\n`);
  process.stdout.write(`\n## ${name}\n\n${table.trim()}\n`);
}
writeFileSync(new URL('./results.md', import.meta.url), [...header, ...sections].join('\n'));

/**
 * Call-history benchmark: fills `call_history` with synthetic calls (10 million on SQLite by default, one year of
 * ~27,000 calls a day over 500 extensions) and times the queries the history and statistics pages make: a filtered
 * page of 50 (`dst` + `disposition`), a deep page through a keyset cursor, the newest page unfiltered, and a day's
 * figures per hour. The fill is one `INSERT … SELECT` over a recursive CTE (PostgreSQL: `generate_series`) with the
 * secondary indexes dropped and built once afterwards; the SQLite file is kept in `bench/.data/` (gitignored) and
 * reused while it holds the same number of rows. PostgreSQL runs too (in a database of its own,
 * `switchboard_history_bench`, created on the same server and kept) when SWITCHBOARD_BENCH_PG_URL or
 * SWITCHBOARD_TEST_PG_URL is set (1 million rows by default: a shared machine).
 * Sizes: HISTORY_BENCH_ROWS (SQLite), HISTORY_BENCH_PG_ROWS. Run alone: node --import tsx bench/history.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { encodeCursor, historyStats, MAX_ID, queryHistory } from '../src/history/index.js';
import { type AnyDb, HistoryRepository, openStore, type Store } from '../src/store/index.js';
import { createHistoryIndexes, dropHistoryIndexes } from '../src/store/migrations-history.js';

const ROWS = Number(process.env.HISTORY_BENCH_ROWS ?? 10_000_000);
const PG_ROWS = Number(process.env.HISTORY_BENCH_PG_ROWS ?? 1_000_000);
const PG_URL = process.env.SWITCHBOARD_BENCH_PG_URL ?? process.env.SWITCHBOARD_TEST_PG_URL;
const T0 = Date.UTC(2025, 0, 1);
const SPAN = 365 * 86_400_000;
const CHUNK = 500_000;
const RUNS = 30;

/** The SELECT that makes row `i` (a column list shared by both back ends; `n.i` is the row number). */
function rowSelect(rows: number, dialect: 'sqlite' | 'postgres'): string {
  const step = Math.floor(SPAN / rows);
  const text = dialect === 'postgres' ? '::text' : '';
  const cat = (a: string, b: string) => `(${a}) || (${b})${text}`;
  return `select 'pbx1', ${cat("'bench.'", 'n.i')}, ${cat("'pbx1/bench.'", 'n.i')},
    ${T0} + n.i * ${step}, case when ((n.i / 3) * 7) % 10 < 6 then ${T0} + n.i * ${step} + 8000 else null end,
    ${T0} + n.i * ${step} + 68000, 68, case when ((n.i / 3) * 7) % 10 < 6 then 60 else 0 end,
    ${cat("'2'", 'lpad_src')}, ${cat("'2'", 'lpad_dst')}, null,
    case ((n.i / 3) * 7) % 10 when 0 then 'ANSWERED' when 1 then 'ANSWERED' when 2 then 'ANSWERED' when 3 then 'ANSWERED'
      when 4 then 'ANSWERED' when 5 then 'ANSWERED' when 6 then 'NO ANSWER' when 7 then 'NO ANSWER' when 8 then 'BUSY'
      else 'FAILED' end,
    16, 'Normal Clearing',
    case when n.i % 10 < 3 then case when n.i % 2 = 0 then 'ventas' else 'soporte' end else null end,
    case when n.i % 10 < 3 and ((n.i / 3) * 7) % 10 < 6 then 'PJSIP/agent' else null end,
    case when n.i % 10 < 3 then case when ((n.i / 3) * 7) % 10 < 6 then 'answered' else 'abandoned' end else null end,
    case when n.i % 10 < 3 then (n.i * 13) % 40 else null end,
    case when n.i % 10 < 3 and ((n.i / 3) * 7) % 10 < 6 then 60 else null end,
    case when n.i % 4 = 0 then 'salida' else null end, 0, '{}'`
    .replace('lpad_src', `100 + (n.i * 7919) % 500`)
    .replace('lpad_dst', `100 + (n.i * 104729) % 500`);
}

const COLUMNS = `pbx, linkedid, call_id, start_ms, answer_ms, end_ms, duration, billable, source, destination, caller_name,
  disposition, hangup_cause, hangup_cause_text, queue, agent, queue_outcome, wait_seconds, talk_seconds, route,
  ended_while_disconnected, detail`;

async function fill(store: Store, rows: number): Promise<number> {
  const db = store.db as unknown as AnyDb;
  const t = performance.now();
  await sql`delete from call_history`.execute(db);
  await dropHistoryIndexes(db);
  for (let from = 0; from < rows; from += CHUNK) {
    const to = Math.min(rows, from + CHUNK) - 1;
    const select = rowSelect(rows, store.dialect);
    const q =
      store.dialect === 'postgres'
        ? `insert into call_history (${COLUMNS}) ${select} from generate_series(${from}::bigint, ${to}::bigint) as n(i)`
        : `with recursive n(i) as (select ${from} union all select i + 1 from n where i < ${to})
           insert into call_history (${COLUMNS}) ${select} from n`;
    await sql.raw(q).execute(db);
    process.stderr.write(`\r  history fill (${store.dialect}): ${to + 1}/${rows}`);
  }
  process.stderr.write('\n');
  await createHistoryIndexes(db);
  await sql.raw(store.dialect === 'postgres' ? 'analyze call_history' : 'analyze').execute(db);
  return performance.now() - t;
}

async function time(fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 3; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { p50: ms[Math.floor(RUNS / 2)]!, p95: ms[Math.floor(RUNS * 0.95)]! };
}

async function measure(store: Store, rows: number, label: string): Promise<string[]> {
  const repo = new HistoryRepository(store.db, store.dialect);
  const have = await repo.count();
  let fillNote = `reused (${have.toLocaleString('en')} rows)`;
  // A kept file gets the indexes of the current migration (CREATE INDEX IF NOT EXISTS).
  if (have === rows) {
    // The first version's start index, replaced by the covering one.
    await (store.db as unknown as AnyDb).schema.dropIndex('call_history_start').ifExists().execute();
    await createHistoryIndexes(store.db as unknown as AnyDb);
  }
  if (have !== rows) fillNote = `filled in ${((await fill(store, rows)) / 1000).toFixed(1)} s`;
  const mid = T0 + SPAN / 2;
  const day = Date.UTC(2025, 6, 1);
  const cases: [string, () => Promise<unknown>, (r: unknown) => string][] = [
    [
      'page of 50, `dst=2142&disposition=ANSWERED`',
      () => queryHistory(repo, { dst: '2142', disposition: 'ANSWERED' }, { limit: 50 }),
      (r) => `${(r as { items: unknown[] }).items.length} rows`,
    ],
    [
      'deep page (cursor at mid-year), same filter',
      () =>
        queryHistory(
          repo,
          { dst: '2142', disposition: 'ANSWERED' },
          { limit: 50, cursor: encodeCursor({ start: mid, id: MAX_ID }) },
        ),
      (r) => `${(r as { items: unknown[] }).items.length} rows`,
    ],
    [
      'newest page of 50, no filter',
      () => queryHistory(repo, {}, { limit: 50 }),
      (r) => `${(r as { items: unknown[] }).items.length} rows`,
    ],
    [
      'deep page (cursor at mid-year), `src=2300`',
      () =>
        queryHistory(repo, { src: '2300' }, { limit: 50, cursor: encodeCursor({ start: mid, id: MAX_ID }) }),
      (r) => `${(r as { items: unknown[] }).items.length} rows`,
    ],
    [
      "a day's figures, `groupBy=hour`",
      () => historyStats(repo, { from: day, to: day + 86_400_000 }, { groupBy: 'hour' }),
      (r) => {
        const s = r as { groups: unknown[]; totals: { total: number } };
        return `${s.groups.length} groups, ${s.totals.total.toLocaleString('en')} calls`;
      },
    ],
    [
      "a day's figures, `groupBy=queue`",
      () => historyStats(repo, { from: day, to: day + 86_400_000 }, { groupBy: 'queue' }),
      (r) => `${(r as { groups: unknown[] }).groups.length} groups`,
    ],
  ];
  const lines: string[] = [];
  for (const [name, fn, describe] of cases) {
    const t = await time(fn);
    const shape = describe(await fn());
    lines.push(
      `| ${label} | ${rows.toLocaleString('en')} | ${name} | ${t.p50.toFixed(2)} | ${t.p95.toFixed(2)} | ${shape} |`,
    );
  }
  lines.push(`| ${label} | ${rows.toLocaleString('en')} | fill | — | — | ${fillNote} |`);
  return lines;
}

/**
 * A database of its own for the PostgreSQL fill (created once, kept for the next run). Not a schema in the given
 * database: Kysely's migrator looks for its tables in every schema, so a kept schema would confuse the migrations of
 * the tests' throwaway schemas there.
 */
async function benchDatabase(url: string): Promise<string> {
  const name = 'switchboard_history_bench';
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query('select 1 from pg_database where datname = $1', [name]);
    if (r.rowCount === 0) await c.query(`create database ${name}`);
  } finally {
    await c.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Runs the benchmark; returns its Markdown table. */
export async function run(): Promise<string> {
  const dir = new URL('./.data/', import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  // The data files (GBs) never belong in git, WAL and SHM files included.
  writeFileSync(`${dir}.gitignore`, '*\n');
  const lines = [
    `Goal: under 50 ms each on SQLite. ${RUNS} runs after 3 warm-ups; milliseconds.`,
    '',
    '| back end | rows | query | p50 ms | p95 ms | result |',
    '|---|---:|---|---:|---:|---|',
  ];
  const sqlite = await openStore({ url: `${dir}history-${ROWS}.sqlite` });
  try {
    await sql`pragma journal_mode = wal`.execute(sqlite.db);
    await sql`pragma synchronous = off`.execute(sqlite.db);
    await sql`pragma cache_size = -262144`.execute(sqlite.db);
    lines.push(...(await measure(sqlite, ROWS, 'SQLite')));
  } finally {
    await sqlite.close();
  }
  if (PG_URL) {
    const pgStore = await openStore({ url: await benchDatabase(PG_URL), poolSize: 2 });
    try {
      lines.push(...(await measure(pgStore, PG_ROWS, 'PostgreSQL')));
    } finally {
      await pgStore.close();
    }
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(`${await run()}\n`);

/**
 * `switchboard phones add|list|remove|rotate-secret|import`: the admin room's phones from the command line, over
 * a live AMI connection (`--ami <url>`, or the config's `pbx:` entry chosen with `--pbx`) and the database
 * (`--config`, `--db`). Each write is audited (actor `cli`). Exit status: 0 success, 1 refused, 2 usage/connection.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { type PhoneAudit, PhoneService, parsePhonesFile } from '../admin/index.js';
import { AmiClient } from '../ami/index.js';
import { ConfigError, loadConfig, type ServerConfig } from '../server/config.js';
import { AuditRepository, openStore, type Store } from '../store/index.js';
import { CliUsageError, failureLine, secretsOf } from './failure.js';

/** Options every phones subcommand takes. */
interface PhonesCliOptions {
  config?: string;
  db?: string;
  ami?: string;
  pbx?: string;
}

interface Session {
  config: ServerConfig;
  store: Store;
  ami: AmiClient;
  phones: PhoneService;
  secrets: string[];
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Opens the config, the store and the AMI link, runs `body`, closes everything. */
async function withPhones(o: PhonesCliOptions, body: (s: Session) => Promise<void>): Promise<void> {
  let secrets = secretsOf([o.ami]);
  let store: Store | undefined;
  let ami: AmiClient | undefined;
  try {
    const config = loadConfig({ ...(o.config ? { file: o.config } : {}), flags: o.db ? { db: o.db } : {} });
    const fromConfig =
      o.pbx !== undefined
        ? config.pbx.find((p) => p.id === o.pbx)
        : config.pbx.length === 1
          ? config.pbx[0]
          : undefined;
    const url = o.ami ?? fromConfig?.ami ?? process.env.SWITCHBOARD_AMI_URL;
    if (!url)
      throw new CliUsageError(
        o.pbx !== undefined
          ? `no PBX ${o.pbx} in the config`
          : 'give --ami <url> (or one pbx: entry in --config)',
      );
    secrets = [...secrets, ...secretsOf([url])];
    const pbxId = o.pbx ?? fromConfig?.id ?? 'pbx1';
    store = await openStore({ url: config.db });
    ami = new AmiClient({ url, events: 'off', reconnect: false, ...(fromConfig?.md5 ? { md5: true } : {}) });
    await ami.connect();
    const audit = new AuditRepository(store.db);
    const pending: Promise<void>[] = [];
    const client = ami;
    const phones = new PhoneService({
      db: store.db,
      config: config.phones,
      pbx: (id) => {
        if (id !== undefined && id !== pbxId)
          throw new CliUsageError(`this command talks to ${pbxId}, not ${id}`);
        return { id: pbxId, ami: client };
      },
      provisioningUrl: () => config.provisioning.baseUrl ?? '',
      audit: (a: PhoneAudit) => {
        pending.push(
          audit.add([
            {
              at: new Date().toISOString(),
              actor: 'cli',
              role: null,
              action: a.action,
              target: a.target,
              address: null,
              status: a.outcome === 'ok' ? 200 : 502,
              outcome: a.outcome,
              detail: a.detail.slice(0, 1000),
            },
          ]),
        );
      },
    });
    try {
      await body({ config, store, ami, phones, secrets });
    } finally {
      await Promise.allSettled(pending);
    }
  } catch (err) {
    if (err instanceof ConfigError) process.stderr.write(`switchboard phones: ${err.message}\n`);
    else process.stderr.write(failureLine('phones', err, secrets));
    const code = (err as { code?: string }).code ?? '';
    process.exitCode =
      err instanceof CliUsageError ||
      err instanceof ConfigError ||
      code.startsWith('AMI_CONNECT') ||
      code === 'AMI_LOGIN_FAILED'
        ? 2
        : 1;
  } finally {
    await ami?.close().catch(() => {});
    await store?.close().catch(() => {});
  }
}

const common = (c: Command) =>
  c
    .option('--config <file>', 'YAML configuration file (its pbx: and phones: sections)')
    .option('--db <file|url>', 'SQLite file or postgres:// URL')
    .option('--ami <url>', 'AMI URL of the PBX (default: the config’s pbx entry)')
    .option('--pbx <id>', 'which pbx: entry of the config');

/** Registers `switchboard phones`. */
export function registerPhones(program: Command): void {
  const phones = program.command('phones').description('Phones written to Asterisk through the manager');
  common(
    phones
      .command('add <extension>')
      .description('Create a phone with a random secret (shown once) and write it to Asterisk')
      .requiredOption('--name <name>', 'the person responsible (caller ID name)')
      .option('--brand <brand>', 'yealink, polycom, grandstream, snom, cisco, fanvil or generic', 'generic')
      .option('--model <model>', 'phone model (e.g. T46S, 370)')
      .option('--mac <mac>', 'MAC address, any notation')
      .option('--context <context>', 'dialplan context')
      .option('--language <code>', 'language, e.g. es')
      .option('--codecs <list>', 'comma list, e.g. ulaw,alaw')
      .option('--voicemail', 'give it a mailbox'),
  ).action(
    async (
      extension: string,
      o: PhonesCliOptions & {
        name: string;
        brand: string;
        model?: string;
        mac?: string;
        context?: string;
        language?: string;
        codecs?: string;
        voicemail?: boolean;
      },
    ) =>
      withPhones(o, async (s) => {
        const r = await s.phones.create({
          extension,
          name: o.name,
          brand: o.brand,
          ...(o.model ? { model: o.model } : {}),
          ...(o.mac ? { mac: o.mac } : {}),
          ...(o.context ? { context: o.context } : {}),
          ...(o.language ? { language: o.language } : {}),
          ...(o.codecs ? { codecs: o.codecs.split(',').map((c) => c.trim()) } : {}),
          ...(o.voicemail ? { voicemail: true } : {}),
        });
        print({ ...r.phone, secret: r.secret, provisioning: r.provisioning, asterisk: r.asterisk });
      }),
  );
  common(phones.command('list').description('Every phone (never a secret)')).action(
    async (o: PhonesCliOptions) => withPhones(o, async (s) => print(await s.phones.list())),
  );
  common(
    phones.command('remove <extension>').description('Remove a phone (its Asterisk category if ours)'),
  ).action(async (extension: string, o: PhonesCliOptions) =>
    withPhones(o, async (s) => print({ deleted: true, ...(await s.phones.remove(extension)) })),
  );
  common(
    phones
      .command('rotate-secret <extension>')
      .description('New random secret and provisioning password (shown once)'),
  ).action(async (extension: string, o: PhonesCliOptions) =>
    withPhones(o, async (s) => {
      const r = await s.phones.rotateSecret(extension);
      print({ ...r.phone, secret: r.secret, provisioning: r.provisioning, asterisk: r.asterisk });
    }),
  );
  common(
    phones
      .command('import [file]')
      .description(
        'Create the phones of a YAML file (given secrets allowed), or without a file add the PBX’s endpoints as not managed',
      ),
  ).action(async (file: string | undefined, o: PhonesCliOptions) =>
    withPhones(o, async (s) => {
      if (file === undefined) {
        print(await s.phones.importFromPbx());
        return;
      }
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        throw new CliUsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code}`);
      }
      const created: unknown[] = [];
      for (const p of parsePhonesFile(text)) {
        const r = await s.phones.create(p);
        created.push({
          ...r.phone,
          // A secret the file gave is not repeated; a generated one is shown this once.
          ...(p.secret === undefined ? { secret: r.secret } : {}),
          provisioning: r.provisioning,
          asterisk: { verified: r.asterisk.verified, endpointFound: r.asterisk.endpointFound },
        });
      }
      print(created);
    }),
  );
}

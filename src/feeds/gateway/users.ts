/**
 * Gateway logins from two sources: the config file (read-only here) and the API (`gateway_users`, secrets sealed
 * with `gateway.secretKey`). Every change is validated like the config (filter compiled, PBX known) before it is
 * stored, then the running gateway gets the new list.
 */
import { generateSecret, SecretBox } from '../../admin/index.js';
import type { GatewayUserRecord, GatewayUserRepository } from '../../store/index.js';
import { compileFeedFilter, type FeedFilterSpec } from '../filter.js';
import type { GatewayUserConfig } from './config.js';
import { GatewayError } from './errors.js';

/** A login as the API shows it (never with its secret). */
export interface GatewayUserView {
  name: string;
  /** `config` logins are changed in the config file, `api` ones over the API. */
  source: 'config' | 'api';
  read: string[];
  write: string[];
  actions: string[] | null;
  commands: string[] | null;
  filter: FeedFilterSpec | null;
  extensions: string[] | null;
  pbx: string | null;
}

/** What the API creates a login with (a secret is generated when none is given). */
export interface GatewayUserCreate {
  name: string;
  secret?: string;
  read: string[];
  write: string[];
  actions?: string[] | null;
  commands?: string[] | null;
  filter?: FeedFilterSpec | null;
  extensions?: string[] | null;
  pbx?: string | null;
}

/** A change over the API (absent keys kept, null clears; `rotateSecret` makes a new random one). */
export type GatewayUserChange = Partial<Omit<GatewayUserCreate, 'name'>> & { rotateSecret?: boolean };

function fromConfig(u: GatewayUserConfig): GatewayUserView {
  return {
    name: u.name,
    source: 'config',
    read: u.read,
    write: u.write,
    actions: u.actions ?? null,
    commands: u.commands ?? null,
    filter: (u.filter as FeedFilterSpec | undefined) ?? null,
    extensions: u.extensions ?? null,
    pbx: u.pbx ?? null,
  };
}

function fromRecord(r: GatewayUserRecord): GatewayUserView {
  return {
    name: r.name,
    source: 'api',
    read: r.read,
    write: r.write,
    actions: r.actions,
    commands: r.commands,
    filter: r.filter as FeedFilterSpec | null,
    extensions: r.extensions,
    pbx: r.pbx,
  };
}

/** The logins of the gateway, config + API. */
export class GatewayUsers {
  private readonly box: SecretBox;

  constructor(
    private readonly config: readonly GatewayUserConfig[],
    private readonly repo: GatewayUserRepository,
    private readonly pbxIds: ReadonlySet<string>,
    /** Called with the complete list after every change (the running gateway's `setUsers`). */
    private readonly apply: (users: GatewayUserConfig[]) => void,
    secretKey?: string,
  ) {
    this.box = new SecretBox(secretKey);
  }

  /** Every login (config first), without secrets. */
  async list(): Promise<GatewayUserView[]> {
    return [...this.config.map(fromConfig), ...(await this.repo.list()).map(fromRecord)];
  }

  /** The complete list with secrets, for the gateway; a stored secret that does not open is left out (logged by the caller). */
  async resolved(onBad?: (name: string, err: Error) => void): Promise<GatewayUserConfig[]> {
    const out: GatewayUserConfig[] = [...this.config];
    for (const r of await this.repo.listWithSecrets()) {
      try {
        out.push(toConfig(r, this.box.open(r.sealedSecret)));
      } catch (err) {
        onBad?.(r.name, err as Error);
      }
    }
    return out;
  }

  /** Creates an API login; answers it with its secret (the only time it is shown). */
  async create(input: GatewayUserCreate): Promise<{ user: GatewayUserView; secret: string }> {
    if (this.config.some((u) => u.name === input.name)) {
      throw new GatewayError(
        'GATEWAY_USER_EXISTS',
        `gateway user ${input.name} is defined in the config file`,
        'name',
      );
    }
    this.check(input);
    if (await this.repo.get(input.name)) {
      throw new GatewayError('GATEWAY_USER_EXISTS', `gateway user ${input.name} exists`, 'name');
    }
    const secret = input.secret ?? generateSecret();
    const rec = await this.repo.create({
      name: input.name,
      sealedSecret: this.box.seal(secret),
      read: input.read,
      write: input.write,
      actions: input.actions ?? null,
      commands: input.commands ?? null,
      filter: (input.filter as Record<string, unknown> | null | undefined) ?? null,
      extensions: input.extensions ?? null,
      pbx: input.pbx ?? null,
    });
    await this.refresh();
    return { user: fromRecord(rec), secret };
  }

  /** Changes an API login (config logins are refused); answers the new secret when one was set or rotated. */
  async update(name: string, change: GatewayUserChange): Promise<{ user: GatewayUserView; secret?: string }> {
    if (this.config.some((u) => u.name === name)) {
      throw new GatewayError(
        'GATEWAY_USER_READONLY',
        `gateway user ${name} is defined in the config file; change it there`,
        'name',
      );
    }
    const current = await this.repo.get(name);
    if (!current) throw new GatewayError('GATEWAY_USER_NOT_FOUND', `no gateway user ${name}`);
    const merged: GatewayUserCreate = {
      name,
      read: change.read ?? current.read,
      write: change.write ?? current.write,
      actions: change.actions === undefined ? current.actions : change.actions,
      commands: change.commands === undefined ? current.commands : change.commands,
      filter: change.filter === undefined ? (current.filter as FeedFilterSpec | null) : change.filter,
      extensions: change.extensions === undefined ? current.extensions : change.extensions,
      pbx: change.pbx === undefined ? current.pbx : change.pbx,
    };
    this.check(merged);
    const secret = change.secret ?? (change.rotateSecret ? generateSecret() : undefined);
    const rec = await this.repo.update(name, {
      read: merged.read,
      write: merged.write,
      actions: merged.actions ?? null,
      commands: merged.commands ?? null,
      filter: (merged.filter as Record<string, unknown> | null | undefined) ?? null,
      extensions: merged.extensions ?? null,
      pbx: merged.pbx ?? null,
      ...(secret === undefined ? {} : { sealedSecret: this.box.seal(secret) }),
    });
    await this.refresh();
    return secret === undefined ? { user: fromRecord(rec) } : { user: fromRecord(rec), secret };
  }

  /** Deletes an API login (sessions already open stay until they log off). */
  async remove(name: string): Promise<void> {
    if (this.config.some((u) => u.name === name)) {
      throw new GatewayError(
        'GATEWAY_USER_READONLY',
        `gateway user ${name} is defined in the config file; change it there`,
        'name',
      );
    }
    if (!(await this.repo.get(name)))
      throw new GatewayError('GATEWAY_USER_NOT_FOUND', `no gateway user ${name}`);
    await this.repo.delete(name);
    await this.refresh();
  }

  /** Reloads the list into the gateway. */
  async refresh(): Promise<void> {
    this.apply(await this.resolved());
  }

  private check(u: GatewayUserCreate): void {
    if (u.pbx != null && !this.pbxIds.has(u.pbx)) {
      throw new GatewayError('GATEWAY_BAD_USER', `pbx: no PBX with id ${u.pbx}`, 'pbx');
    }
    if (u.filter != null) compileFeedFilter(u.filter);
  }
}

function toConfig(r: GatewayUserRecord, secret: string): GatewayUserConfig {
  const u: GatewayUserConfig = { name: r.name, secret, read: r.read, write: r.write };
  if (r.actions !== null) u.actions = r.actions;
  if (r.commands !== null) u.commands = r.commands;
  if (r.filter !== null) u.filter = r.filter as GatewayUserConfig['filter'];
  if (r.extensions !== null) u.extensions = r.extensions;
  if (r.pbx !== null) u.pbx = r.pbx;
  return u;
}

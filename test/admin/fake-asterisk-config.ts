/**
 * A FakeAmiServer scripted like the recorded Asterisks for phone provisioning: config files edited by
 * UpdateConfig (atomic per packet, Asterisk's error words), GetConfig read-back (`No categories found` as a bare
 * line), CreateConfig's `File exists`, reloads that make wizard categories endpoints, PJSIPShowEndpoint /
 * SIPshowpeer answers as in `sip-provision-wizard` and `sip-conf-provision`.
 */
import { readFileSync } from 'node:fs';
import type { AmiMessage } from '../../src/ami/index.js';
import { FakeAmiServer } from '../../src/testing/index.js';

type Cat = { name: string; vars: Array<[string, string]> };

/** Options of the fake. */
export interface FakeConfigOptions {
  driver: 'pjsip' | 'chan_sip';
  /** Endpoints (or peers) that exist before the test, not in any file we edit. */
  existing?: string[];
}

/** A fake Asterisk with editable config files. */
export class FakeAsteriskConfig {
  readonly files = new Map<string, Cat[]>();
  readonly endpoints = new Set<string>();
  /** Next UpdateConfig answers this error (once). */
  refuseUpdate: string | undefined;
  /** Next GetConfig answers with this value changed (once). */
  tamperGetConfig = false;
  readonly loaded: Set<string>;

  private constructor(
    readonly server: FakeAmiServer,
    readonly options: FakeConfigOptions,
  ) {
    this.loaded = new Set(
      options.driver === 'pjsip' ? ['res_pjsip.so', 'res_pjsip_config_wizard.so'] : ['chan_sip.so'],
    );
    for (const e of options.existing ?? []) this.endpoints.add(e);
    if (options.driver === 'chan_sip')
      this.files.set('sip.conf', [{ name: 'general', vars: [['udpbindaddr', '0.0.0.0']] }]);
    const h = (name: string, fn: (m: AmiMessage) => unknown) => server.handle(name, (m) => fn(m) as never);
    h('ModuleCheck', (m) =>
      this.loaded.has(m.get('Module') ?? '') ? {} : { Response: 'Error', Message: 'Module not loaded' },
    );
    h('CreateConfig', (m) => {
      const f = m.get('Filename') ?? '';
      if (this.files.has(f)) return { Response: 'Error', Message: 'File exists' };
      this.files.set(f, []);
      return { Message: 'New configuration file created successfully' };
    });
    h('UpdateConfig', (m) => this.update(m));
    h('GetConfig', (m) => this.getConfig(m));
    h('Reload', (m) => {
      const mod = m.get('Module') ?? '';
      if (!this.loaded.has(mod)) return { Response: 'Error', Message: 'No such module' };
      this.reload(mod);
      return { Message: 'Module Reloaded' };
    });
    h('PJSIPShowEndpoint', (m) => {
      const e = m.get('Endpoint') ?? '';
      // Asterisk ends this message with a stray LF before the CRLF (recorded).
      if (!this.endpoints.has(e)) {
        const id = m.get('ActionID');
        return {
          raw: `Response: Error\r\n${id ? `ActionID: ${id}\r\n` : ''}Message: Unable to retrieve endpoint ${e}\n\r\n\r\n`,
        };
      }
      return {
        list: {
          message: 'Following are Events for each object associated with the Endpoint',
          items: [{ Event: 'EndpointDetail', ObjectType: 'endpoint', ObjectName: e }],
          complete: 'EndpointDetailComplete',
        },
      };
    });
    h('PJSIPShowEndpoints', () => ({
      list: {
        message: 'A listing of Endpoints follows, presented as EndpointList events',
        items: [...this.endpoints].sort().map((e) => ({
          Event: 'EndpointList',
          ObjectType: 'endpoint',
          ObjectName: e,
          Transport: 'transport-udp',
          Aor: e,
          Auths: `${e}-auth`,
          OutboundAuths: '',
          Contacts: '',
          DeviceState: 'Unavailable',
          ActiveChannels: 0,
        })),
        complete: 'EndpointListComplete',
      },
    }));
    h('SIPpeers', () => ({
      list: {
        message: 'Peer status list will follow',
        items: [...this.endpoints].sort().map((e) => ({
          Event: 'PeerEntry',
          Channeltype: 'SIP',
          ObjectName: e,
          ChanObjectType: 'peer',
          IPaddress: '-none-',
          IPport: 0,
          Dynamic: 'yes',
          Status: 'Unmonitored',
        })),
        complete: 'PeerlistComplete',
      },
    }));
    h('SIPshowpeer', (m) => {
      const p = m.get('Peer') ?? '';
      if (!this.endpoints.has(p)) return { Response: 'Error', Message: `Peer ${p} not found.` };
      return { Channeltype: 'SIP', ObjectName: p, ChanObjectType: 'peer', SecretExist: 'Y' };
    });
  }

  /** Starts a fake of this driver. */
  static async start(options: FakeConfigOptions): Promise<FakeAsteriskConfig> {
    const server = await FakeAmiServer.start({
      banner: options.driver === 'pjsip' ? 'Asterisk Call Manager/13.0.0' : 'Asterisk Call Manager/2.10.6',
    });
    return new FakeAsteriskConfig(server, options);
  }

  /** The variables of a category of a file. */
  category(file: string, name: string): Array<[string, string]> | undefined {
    return this.files.get(file)?.find((c) => c.name === name)?.vars;
  }

  private reload(mod: string): void {
    if (mod === 'res_pjsip_config_wizard.so') {
      for (const e of [...this.endpoints]) if (this.wizardNames.has(e)) this.endpoints.delete(e);
      this.wizardNames.clear();
      for (const c of this.files.get('pjsip_wizard.conf') ?? [])
        if (c.vars.some(([k, v]) => k === 'type' && v === 'wizard')) {
          this.wizardNames.add(c.name);
          this.endpoints.add(c.name);
        }
    }
    if (mod === 'chan_sip.so') {
      for (const e of [...this.endpoints]) if (this.peerNames.has(e)) this.endpoints.delete(e);
      this.peerNames.clear();
      for (const c of this.files.get('sip.conf') ?? [])
        if (c.vars.some(([k]) => k === 'type')) {
          this.peerNames.add(c.name);
          this.endpoints.add(c.name);
        }
    }
  }
  private readonly wizardNames = new Set<string>();
  private readonly peerNames = new Set<string>();

  private update(m: AmiMessage): unknown {
    const src = m.get('SrcFilename') ?? '';
    const file = this.files.get(src);
    if (!file) return { Response: 'Error', Message: 'Config file not found' };
    if (this.refuseUpdate !== undefined) {
      const message = this.refuseUpdate;
      this.refuseUpdate = undefined;
      return { Response: 'Error', Message: message };
    }
    const cats: Cat[] = file.map((c) => ({ name: c.name, vars: c.vars.map(([k, v]) => [k, v]) }));
    for (let i = 0; ; i++) {
      const n = String(i).padStart(6, '0');
      const action = m.get(`Action-${n}`);
      if (action === undefined) break;
      const cat = m.get(`Cat-${n}`);
      if (!cat) return { Response: 'Error', Message: 'Category not specified' };
      const found = cats.find((c) => c.name === cat);
      const v = m.get(`Var-${n}`);
      const value = m.get(`Value-${n}`) ?? '';
      switch (action.toLowerCase()) {
        case 'newcat':
          if (found) return { Response: 'Error', Message: 'Create category did not complete successfully' };
          cats.push({ name: cat, vars: [] });
          break;
        case 'delcat':
          if (!found) return { Response: 'Error', Message: 'Given category does not exist' };
          cats.splice(cats.indexOf(found), 1);
          break;
        case 'emptycat':
          if (!found) return { Response: 'Error', Message: 'Given category does not exist' };
          found.vars = [];
          break;
        case 'append':
          if (!found) return { Response: 'Error', Message: 'Given category does not exist' };
          if (!v)
            return { Response: 'Error', Message: 'Problem with category, value, or line (if required)' };
          found.vars.push([v, value]);
          break;
        case 'update': {
          if (!found) return { Response: 'Error', Message: 'Given category does not exist' };
          const line = found.vars.find(([k]) => k === v);
          if (!line) return { Response: 'Error', Message: 'Update did not complete successfully' };
          line[1] = value;
          break;
        }
        default:
          return { Response: 'Error', Message: 'Unknown action command' };
      }
    }
    this.files.set(m.get('DstFilename') ?? src, cats);
    const reload = m.get('Reload');
    if (reload && this.loaded.has(reload)) this.reload(reload);
    return {};
  }

  private getConfig(m: AmiMessage): unknown {
    const file = this.files.get(m.get('Filename') ?? '');
    if (!file) return { Response: 'Error', Message: 'Config file not found' };
    const want = m.get('Category');
    const id = m.get('ActionID');
    let out = `Response: Success\r\n${id ? `ActionID: ${id}\r\n` : ''}`;
    let n = 0;
    for (const c of file) {
      if (want && c.name !== want) continue;
      const cn = String(n).padStart(6, '0');
      out += `Category-${cn}: ${c.name}\r\n`;
      c.vars.forEach(([k, v], j) => {
        const value = this.tamperGetConfig && j === c.vars.length - 1 ? `${v}x` : v;
        out += `Line-${cn}-${String(j).padStart(6, '0')}: ${k}=${value}\r\n`;
      });
      n++;
    }
    this.tamperGetConfig = false;
    if (want && n === 0) out += 'No categories found\r\n';
    return { raw: `${out}\r\n` };
  }

  /** Actions received whose names are in `names` (case-insensitive), headers without ActionID. */
  received(names: readonly string[]): Array<Array<[string, string]>> {
    const set = new Set(names.map((n) => n.toLowerCase()));
    return this.server.actions
      .filter((a) => set.has((a.get('Action') ?? '').toLowerCase()))
      .map((a) =>
        a.headers.filter(([k]) => k.toLowerCase() !== 'actionid').map(([k, v]) => [k, v] as [string, string]),
      );
  }

  /** Closes the server. */
  close(): Promise<void> {
    return this.server.close();
  }
}

/** The recorded actions a client sent in a transcript (headers without ActionID), Login and Logoff left out. */
export function recordedActions(path: string, names: readonly string[]): Array<Array<[string, string]>> {
  const set = new Set(names.map((n) => n.toLowerCase()));
  const out: Array<Array<[string, string]>> = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as { dir: string; data: string };
    if (r.dir !== 'out') continue;
    for (const packet of r.data.split('\r\n\r\n')) {
      if (!packet.trim()) continue;
      const pairs = packet.split('\r\n').map((l) => {
        const i = l.indexOf(': ');
        return [l.slice(0, i), l.slice(i + 2)] as [string, string];
      });
      const name = pairs.find(([k]) => k === 'Action')?.[1] ?? '';
      if (!set.has(name.toLowerCase())) continue;
      out.push(pairs.filter(([k]) => k !== 'ActionID'));
    }
  }
  return out;
}

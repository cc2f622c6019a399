/** PJSIP list actions of the simulated PBX (res_pjsip's manager actions), item fields in Asterisk's order. */
import { error, header, type ListItem, list, type SimModule } from './action-table.js';
import { endpointDeviceState } from './channels.js';
import type { SimCore } from './core.js';
import type { Pairs } from './headers.js';
import { ENDPOINT_DETAIL_DEFAULTS, TRANSPORT_DETAIL_DEFAULTS } from './pjsip-details.js';
import { contactId } from './registrar.js';
import type { SimEndpoint } from './state.js';

const WORDS: Readonly<Record<string, string>> = {
  NOT_INUSE: 'Not in use',
  INUSE: 'In use',
  RINGING: 'Ringing',
  ONHOLD: 'On Hold',
  UNAVAILABLE: 'Unavailable',
  BUSY: 'Busy',
};

function deviceWords(core: SimCore, ep: SimEndpoint): string {
  return WORDS[endpointDeviceState(core, ep.name)] ?? 'Unknown';
}

function sorted(core: SimCore): SimEndpoint[] {
  return [...core.state.endpoints.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function active(core: SimCore, ep: SimEndpoint): string {
  return String(core.state.channelsOf(ep.name).length);
}

function contactsField(ep: SimEndpoint): string {
  return ep.contact ? `${ep.aor}/${ep.contact.uri},` : '';
}

function endpointDetail(core: SimCore, ep: SimEndpoint): Pairs {
  const over: Record<string, string> = {
    Aors: ep.aor,
    Context: ep.context,
    Transport: ep.transport,
    Language: ep.language,
    Callerid: ep.callerId || '<unknown>',
    Auth: ep.auth,
    OutboundAuth: ep.outboundAuth,
    DeviceState: deviceWords(core, ep),
    ActiveChannels: active(core, ep),
  };
  return [
    ['Event', 'EndpointDetail'],
    ['ObjectType', 'endpoint'],
    ['ObjectName', ep.name],
    ...ENDPOINT_DETAIL_DEFAULTS.map(([k, v]): [string, string] => [k, over[k] ?? v]),
  ];
}

function authDetail(ep: SimEndpoint): Pairs {
  // Asterisk lists the auth object's password here as it is (res_pjsip's sorcery fields): so does the simulator.
  return [
    ['Event', 'AuthDetail'],
    ['ObjectType', 'auth'],
    ['ObjectName', ep.auth],
    ['OauthSecret', ''],
    ['PasswordDigest', ''],
    ['SupportedAlgorithmsUas', 'MD5'],
    ['RefreshToken', ''],
    ['Username', ep.username],
    ['Md5Cred', ''],
    ['Realm', ''],
    ['AuthType', 'userpass'],
    ['Password', ep.secret],
    ['SupportedAlgorithmsUac', 'MD5'],
    ['NonceLifetime', '32'],
    ['OauthClientid', ''],
    ['EndpointName', ep.name],
  ];
}

function aorPairs(ep: SimEndpoint, event: string, contactsKey: string): Pairs {
  return [
    ['Event', event],
    ['ObjectType', 'aor'],
    ['ObjectName', ep.aor],
    ['MinimumExpiration', '60'],
    ['DefaultExpiration', '3600'],
    ['QualifyTimeout', '3.000000'],
    ['Qualify2xxOnly', 'false'],
    ['Mailboxes', ''],
    ['SupportPath', 'false'],
    ['RemoveUnavailable', 'false'],
    ['VoicemailExtension', ''],
    ['MaxContacts', '1'],
    ['AuthenticateQualify', 'false'],
    [contactsKey, ep.contact ? `${ep.aor}/${ep.contact.uri}` : ''],
    ['MaximumExpiration', '7200'],
    ['QualifyFrequency', '0'],
    ['RemoveExisting', 'false'],
    ['OutboundProxy', ''],
  ];
}

/** The PJSIP actions. */
export const pjsipModule: SimModule = {
  name: 'pjsip',
  actions: {
    PJSIPShowEndpoints: (core, a) => {
      const eps = sorted(core);
      if (eps.length === 0) return error(a, 'No endpoints found');
      const items: ListItem[] = eps.map((ep) => ({
        pairs: [
          ['Event', 'EndpointList'],
          ['ObjectType', 'endpoint'],
          ['ObjectName', ep.name],
          ['Transport', ep.transport],
          ['Aor', ep.aor],
          ['Auths', ep.auth],
          ['OutboundAuths', ep.outboundAuth],
          ['Contacts', contactsField(ep)],
          ['DeviceState', deviceWords(core, ep)],
          ['ActiveChannels', active(core, ep)],
        ],
      }));
      return list(
        a,
        'A listing of Endpoints follows, presented as EndpointList events',
        items,
        'EndpointListComplete',
      );
    },
    PJSIPShowEndpoint: (core, a) => {
      const name = header(a, 'Endpoint');
      if (!name) return error(a, 'Endpoint parameter missing.');
      const ep = core.state.endpoints.get(name);
      // Asterisk's own message carries a stray newline.
      if (!ep)
        return `Response: Error\r\n${a.get('ActionID') ? `ActionID: ${a.get('ActionID')}\r\n` : ''}Message: Unable to retrieve endpoint ${name}\n\r\n\r\n`;
      const items: ListItem[] = [{ pairs: endpointDetail(core, ep) }];
      if (ep.auth) items.push({ pairs: authDetail(ep) });
      if (ep.transport)
        items.push({
          pairs: [
            ['Event', 'TransportDetail'],
            ['ObjectType', 'transport'],
            ['ObjectName', ep.transport],
            ...TRANSPORT_DETAIL_DEFAULTS,
            ['EndpointName', ep.name],
          ] as Pairs,
        });
      items.push({
        pairs: [
          ...aorPairs(ep, 'AorDetail', 'Contacts'),
          ['TotalContacts', ep.contact ? '1' : '0'],
          ['ContactsRegistered', ep.contact ? '1' : '0'],
          ['EndpointName', ep.name],
        ],
      });
      if (ep.contact)
        items.push({
          pairs: [
            ['Event', 'ContactStatusDetail'],
            ['AOR', ep.aor],
            ['URI', ep.contact.uri],
            ['UserAgent', ep.contact.userAgent],
            ['RegExpire', String(ep.contact.expires)],
            ['ViaAddress', `${ep.contact.via}:${ep.contact.port}`],
            ['CallID', ep.contact.callId],
            ['Status', 'NonQualified'],
            ['RoundtripUsec', 'N/A'],
            ['EndpointName', ep.name],
            ['ID', contactId(ep)],
            ['AuthenticateQualify', '0'],
            ['OutboundProxy', ''],
            ['Path', ''],
            ['QualifyFrequency', '0'],
            ['QualifyTimeout', '3.000'],
            ['Qualify2xxOnly', '0'],
          ],
        });
      return list(
        a,
        'Following are Events for each object associated with the Endpoint',
        items,
        'EndpointDetailComplete',
      );
    },
    PJSIPShowContacts: (core, a) => {
      const eps = sorted(core).filter((e) => e.contact);
      if (eps.length === 0) return error(a, 'No Contacts found');
      const items: ListItem[] = eps.map((ep) => {
        const c = ep.contact as NonNullable<SimEndpoint['contact']>;
        return {
          pairs: [
            ['Event', 'ContactList'],
            ['ObjectType', 'contact'],
            ['ObjectName', contactId(ep)],
            ['ViaAddr', c.via],
            ['QualifyTimeout', '3.000000'],
            ['Qualify2xxOnly', 'false'],
            ['CallId', c.callId],
            ['RegServer', ''],
            ['PruneOnBoot', 'no'],
            ['Path', ''],
            ['Endpoint', ep.name],
            ['ViaPort', String(c.port)],
            ['AuthenticateQualify', 'no'],
            ['Uri', c.uri],
            ['QualifyFrequency', '0'],
            ['UserAgent', c.userAgent],
            ['ExpirationTime', String(c.expires)],
            ['OutboundProxy', ''],
            ['Status', 'NonQualified'],
            ['RoundtripUsec', 'N/A'],
          ],
        };
      });
      return list(
        a,
        'A listing of Contacts follows, presented as ContactList events',
        items,
        'ContactListComplete',
      );
    },
    PJSIPShowRegistrationsInbound: (core, a) => {
      const items: ListItem[] = sorted(core).map((ep) => ({
        pairs: [...aorPairs(ep, 'InboundRegistrationDetail', 'Contact'), ['Contacts', contactsField(ep)]],
      }));
      return list(
        a,
        'Following are Events for each Inbound registration',
        items,
        'InboundRegistrationDetailComplete',
      );
    },
  },
};

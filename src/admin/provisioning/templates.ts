/**
 * The built-in provisioning templates, one per file a brand fetches. `{{name}}` placeholders are replaced by
 * {@link renderTemplate} (XML-escaped in XML files); a file `<templatesDir>/<key>` replaces a template without a
 * rebuild. Keys are what each brand's provisioning guide requires for one SIP account (see test/admin/
 * provisioning-files.test.ts for the sources); time zone and language are written in each brand's own spelling.
 */
import type { Brand } from '../phone.js';

/** One template: its override key (file name in `templatesDir`) and how values are escaped. */
export interface ProvisioningTemplate {
  /** Override file name, e.g. `yealink.cfg`. */
  key: string;
  escape: 'xml' | 'text';
  contentType: string;
  body: string;
}

const yealink: ProvisioningTemplate = {
  key: 'yealink.cfg',
  escape: 'text',
  contentType: 'text/plain; charset=utf-8',
  body: `#!version:1.0.0.1
## Switchboard: {{name}} <{{extension}}>
account.1.enable = 1
account.1.label = {{extension}}
account.1.display_name = {{name}}
account.1.auth_name = {{authUser}}
account.1.user_name = {{extension}}
account.1.password = {{secret}}
account.1.sip_server.1.address = {{server}}
account.1.sip_server.1.port = {{port}}
account.1.sip_server.1.transport_type = {{transportYealink}}
lang.gui = {{languageName}}
lang.wui = {{languageName}}
local_time.time_zone = {{utcOffsetHours}}
{{firmwareYealink}}`,
};

const polycomMaster: ProvisioningTemplate = {
  key: 'polycom-master.cfg',
  escape: 'xml',
  contentType: 'application/xml; charset=utf-8',
  body: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!-- Switchboard: master configuration of {{MAC}} -->
<APPLICATION APP_FILE_PATH="{{polycomAppFile}}" CONFIG_FILES="{{MAC}}-user.cfg, polycom-common.cfg" MISC_FILES="" LOG_FILE_DIRECTORY="" OVERRIDES_DIRECTORY="" CONTACTS_DIRECTORY="" LICENSE_DIRECTORY="" />
`,
};

const polycomUser: ProvisioningTemplate = {
  key: 'polycom-user.cfg',
  escape: 'xml',
  contentType: 'application/xml; charset=utf-8',
  body: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<polycomConfig>
  <reg reg.1.address="{{extension}}" reg.1.label="{{extension}}" reg.1.displayName="{{name}}" reg.1.auth.userId="{{authUser}}" reg.1.auth.password="{{secret}}" reg.1.server.1.address="{{server}}" reg.1.server.1.port="{{port}}" reg.1.server.1.transport="{{transportPolycom}}" />
  <lcl lcl.ml.lang="{{languagePolycom}}" />
</polycomConfig>
`,
};

const polycomCommon: ProvisioningTemplate = {
  key: 'polycom-common.cfg',
  escape: 'xml',
  contentType: 'application/xml; charset=utf-8',
  body: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<polycomConfig>
  <voIpProt voIpProt.server.1.address="{{server}}" voIpProt.server.1.port="{{port}}" voIpProt.server.1.transport="{{transportPolycom}}" />
  <tcpIpApp tcpIpApp.sntp.gmtOffset="{{utcOffsetSeconds}}" />
</polycomConfig>
`,
};

const grandstream: ProvisioningTemplate = {
  key: 'grandstream.xml',
  escape: 'xml',
  contentType: 'application/xml; charset=utf-8',
  body: `<?xml version="1.0" encoding="UTF-8" ?>
<gs_provision version="1">
  <mac>{{mac}}</mac>
  <config version="1">
    <!-- account 1: active, name, SIP server, user ID, authenticate ID, password, display name, transport -->
    <P271>1</P271>
    <P270>{{extension}}</P270>
    <P47>{{server}}:{{port}}</P47>
    <P35>{{extension}}</P35>
    <P36>{{authUser}}</P36>
    <P34>{{secret}}</P34>
    <P3>{{name}}</P3>
    <P130>{{transportGrandstream}}</P130>
    <!-- time zone (POSIX TZ) and display language -->
    <P64>{{posixTz}}</P64>
    <P1362>{{language}}</P1362>
{{firmwareGrandstream}}  </config>
</gs_provision>
`,
};

const snomXml: ProvisioningTemplate = {
  key: 'snom.xml',
  escape: 'xml',
  contentType: 'application/xml; charset=utf-8',
  body: `<?xml version="1.0" encoding="utf-8"?>
<settings>
  <phone-settings>
    <language perm="">{{languageSnom}}</language>
    <timezone perm="">{{snomTz}}</timezone>
    <user_active idx="1" perm="">on</user_active>
    <user_realname idx="1" perm="">{{name}}</user_realname>
    <user_name idx="1" perm="">{{extension}}</user_name>
    <user_pname idx="1" perm="">{{authUser}}</user_pname>
    <user_pass idx="1" perm="">{{secret}}</user_pass>
    <user_host idx="1" perm="">{{server}}:{{port}};transport={{transport}}</user_host>
{{firmwareSnom}}  </phone-settings>
</settings>
`,
};

const snomHtm: ProvisioningTemplate = {
  key: 'snom.htm',
  escape: 'text',
  contentType: 'text/html; charset=utf-8',
  body: `<html>
<pre>
# Switchboard: {{name}} <{{extension}}>
language: {{languageSnom}}
timezone: {{snomTz}}
user_active1: on
user_realname1: {{name}}
user_name1: {{extension}}
user_pname1: {{authUser}}
user_pass1: {{secret}}
user_host1: {{server}}:{{port}};transport={{transport}}
{{firmwareSnomText}}</pre>
</html>
`,
};

const cisco: ProvisioningTemplate = {
  key: 'cisco.xml',
  escape: 'xml',
  contentType: 'application/xml; charset=utf-8',
  body: `<?xml version="1.0" encoding="UTF-8"?>
<flat-profile>
  <Line_Enable_1_>Yes</Line_Enable_1_>
  <Proxy_1_>{{server}}:{{port}}</Proxy_1_>
  <SIP_Transport_1_>{{transportUpper}}</SIP_Transport_1_>
  <Register_1_>Yes</Register_1_>
  <Display_Name_1_>{{name}}</Display_Name_1_>
  <User_ID_1_>{{extension}}</User_ID_1_>
  <Password_1_>{{secret}}</Password_1_>
  <Use_Auth_ID_1_>Yes</Use_Auth_ID_1_>
  <Auth_ID_1_>{{authUser}}</Auth_ID_1_>
  <Language_Selection>{{languageName}}</Language_Selection>
  <Time_Zone>GMT{{utcOffset}}</Time_Zone>
{{firmwareCisco}}</flat-profile>
`,
};

const fanvil: ProvisioningTemplate = {
  key: 'fanvil.cfg',
  escape: 'text',
  contentType: 'text/plain; charset=utf-8',
  body: `<<VOIP CONFIG FILE>>Version:2.0000000000
<GLOBAL CONFIG MODULE>
Time Zone Name     :{{timezone}}
Language           :{{language}}
<SIP CONFIG MODULE>
--SIP Line List--  :
SIP1 Phone Number  :{{extension}}
SIP1 Display Name  :{{name}}
SIP1 Register Addr :{{server}}
SIP1 Register Port :{{port}}
SIP1 Register User :{{authUser}}
SIP1 Register Pswd :{{secret}}
SIP1 Enable Reg    :1
SIP1 Transport     :{{transportFanvil}}
<<END OF FILE>>
`,
};

const generic: ProvisioningTemplate = {
  key: 'generic.txt',
  escape: 'text',
  contentType: 'text/plain; charset=utf-8',
  body: `# SIP account of {{name}} <{{extension}}> (Switchboard)
server={{server}}
port={{port}}
transport={{transport}}
extension={{extension}}
display_name={{name}}
auth_user={{authUser}}
password={{secret}}
language={{language}}
timezone={{timezone}}
utc_offset={{utcOffset}}
`,
};

/** A file a phone can fetch: how its name is made and which template renders it. */
export interface ProvisioningFile {
  brand: Brand;
  template: ProvisioningTemplate;
  /** The file name for a phone (MAC lowercase hex, model may be null). */
  name(mac: string, model: string | null): string;
  /** Extracts the MAC from a requested name, or undefined when the name is not this file. */
  match(name: string): string | undefined;
}

const rx = (re: RegExp) => (name: string) => re.exec(name)?.[1]?.toLowerCase();

/** Every brand's files. Polycom's common file has no MAC (served to any authenticated Polycom phone). */
export const PROVISIONING_FILES: readonly ProvisioningFile[] = [
  { brand: 'yealink', template: yealink, name: (m) => `${m}.cfg`, match: rx(/^([0-9a-f]{12})\.cfg$/i) },
  { brand: 'fanvil', template: fanvil, name: (m) => `${m}.cfg`, match: rx(/^([0-9a-f]{12})\.cfg$/i) },
  {
    brand: 'polycom',
    template: polycomMaster,
    name: (m) => `${m.toUpperCase()}.cfg`,
    match: rx(/^([0-9a-f]{12})\.cfg$/i),
  },
  {
    brand: 'polycom',
    template: polycomUser,
    name: (m) => `${m.toUpperCase()}-user.cfg`,
    match: rx(/^([0-9a-f]{12})-user\.cfg$/i),
  },
  {
    brand: 'polycom',
    template: polycomCommon,
    name: () => 'polycom-common.cfg',
    match: (n) => (n.toLowerCase() === 'polycom-common.cfg' ? '' : undefined),
  },
  {
    brand: 'grandstream',
    template: grandstream,
    name: (m) => `cfg${m}.xml`,
    match: rx(/^cfg([0-9a-f]{12})\.xml$/i),
  },
  {
    brand: 'snom',
    template: snomHtm,
    name: (m, model) => `snom${(model ?? '').toLowerCase()}-${m.toUpperCase()}.htm`,
    match: rx(/^snom[a-z0-9]*-([0-9a-f]{12})\.htm$/i),
  },
  {
    brand: 'snom',
    template: snomXml,
    name: (m) => `${m.toUpperCase()}.xml`,
    match: rx(/^([0-9a-f]{12})\.xml$/i),
  },
  { brand: 'cisco', template: cisco, name: (m) => `spa${m}.xml`, match: rx(/^spa([0-9a-f]{12})\.xml$/i) },
  {
    brand: 'generic',
    template: generic,
    name: (m) => `${m}-account.txt`,
    match: rx(/^([0-9a-f]{12})-account\.txt$/i),
  },
];

/** The files of one brand. */
export function filesOf(brand: string): ProvisioningFile[] {
  return PROVISIONING_FILES.filter((f) => f.brand === brand);
}

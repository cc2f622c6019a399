/**
 * What a phone's provisioning file says about firmware when its model has a current one: the URL (under
 * `/provisioning/firmware/<mac>/<version>/<file>`, served with the same per-phone access rules) and each brand's
 * keys — Yealink `static.firmware.url` (V81+ firmware; older ones read `firmware.url`), Polycom's master file
 * `APP_FILE_PATH`, Grandstream `P212` (upgrade via HTTP = 1) and `P192` (firmware server path, no scheme; the
 * phone adds its own file name, so upload Grandstream's file under its own name), Snom `update_policy` +
 * `firmware_status` (a status file whose `firmware:` line names the image), Cisco SPA `Upgrade_Enable` +
 * `Upgrade_Rule`. Fanvil and generic phones get only the `firmwareUrl` / `firmwareVersion` values (no keys are
 * written into the built-in Fanvil file: its auto-upgrade keys are not checked here).
 */
import type { FirmwareFile } from './firmware.js';
import { xmlEscape } from './provisioning/render.js';

/** The firmware URL of a phone for a stored file. */
export function firmwareUrl(
  base: string,
  mac: string,
  f: Pick<FirmwareFile, 'version' | 'filename'>,
): string {
  return `${base.replace(/\/$/, '')}/firmware/${mac}/${encodeURIComponent(f.version)}/${encodeURIComponent(f.filename)}`;
}

/** The Snom status file's URL of a phone. */
export function snomStatusUrl(base: string, mac: string): string {
  return `${base.replace(/\/$/, '')}/firmware/${mac}/snom-firmware.txt`;
}

/** The Snom status file: the image to install. */
export function snomStatusFile(url: string): string {
  return `firmware: ${url}\n`;
}

/** Template values for a phone whose model has a current firmware file. */
export function firmwareValues(
  brand: string,
  base: string,
  mac: string,
  f: FirmwareFile,
): Record<string, string> {
  const url = firmwareUrl(base, mac, f);
  const out: Record<string, string> = { firmwareUrl: url, firmwareVersion: f.version };
  if (brand === 'yealink') out.firmwareYealink = `static.firmware.url = ${url}\n`;
  if (brand === 'polycom') out.polycomAppFile = url;
  if (brand === 'grandstream') {
    const dir = url.slice(0, url.lastIndexOf('/')).replace(/^https?:\/\//, '');
    out.firmwareGrandstream = `    <P212>${url.startsWith('https:') ? '2' : '1'}</P212>\n    <P192>${xmlEscape(dir)}</P192>\n`;
  }
  if (brand === 'snom') {
    const status = snomStatusUrl(base, mac);
    out.firmwareSnom = `    <update_policy perm="">auto_update</update_policy>\n    <firmware_status perm="">${xmlEscape(status)}</firmware_status>\n`;
    out.firmwareSnomText = `update_policy: auto_update\nfirmware_status: ${status}\n`;
  }
  if (brand === 'cisco')
    out.firmwareCisco = `  <Upgrade_Enable>Yes</Upgrade_Enable>\n  <Upgrade_Rule>${xmlEscape(url)}</Upgrade_Rule>\n`;
  return out;
}

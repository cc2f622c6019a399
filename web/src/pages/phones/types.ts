/** The shapes of `/api/v1/phones` the Phones page reads (a copy of the server's public types). */

/** Brands the server provisions. */
export const BRANDS = ['yealink', 'polycom', 'grandstream', 'snom', 'cisco', 'fanvil', 'generic'] as const;

/** A phone's live status. */
export interface PhoneStatus {
  known: boolean;
  registered: boolean;
  contacts: string[];
  state: string | null;
  deviceState: string | null;
  inCall: boolean;
  rttMs: number | null;
}

/** `GET /api/v1/phones` item. */
export interface Phone {
  id: number;
  pbx: string;
  extension: string;
  name: string;
  brand: string;
  model: string | null;
  mac: string | null;
  context: string;
  language: string | null;
  codecs: string[];
  voicemail: boolean;
  managed: boolean;
  driver: string | null;
  configFile: string | null;
  category: string | null;
  provisioningUser: string | null;
  createdAt: string;
  updatedAt: string;
  status: PhoneStatus;
}

/** What Asterisk answered to one write. */
export interface AsteriskReport {
  driver: string;
  file: string;
  category: string;
  steps: { action: string; ok: boolean; response: string; message?: string }[];
  verified: boolean;
  endpointFound?: boolean;
}

/** Create and rotate-secret answers: the only time the secrets are shown. */
export interface PhoneWithSecrets extends Phone {
  secret: string;
  provisioning: { url: string; username: string; password: string };
  asterisk: AsteriskReport;
}

/** One provisioning fetch (`GET /api/v1/phones/:extension/fetches`). */
export interface PhoneFetch {
  at: string;
  address: string;
  userAgent: string | null;
  file: string;
  outcome: string;
  status: number;
}

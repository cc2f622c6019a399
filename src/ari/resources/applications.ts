/** `/applications`: Stasis applications, their subscriptions and event filters. */

import type { AriRequestOptions } from '../http.js';
import { seg } from '../http.js';
import type { Application } from '../models.js';
import { AriResource } from './base.js';

/** An event filter entry, e.g. `{ type: 'ChannelVarset' }`. */
export interface EventFilterEntry {
  /** Event type. */
  type: string;
  /** Other keys Asterisk may accept. */
  [key: string]: unknown;
}

/** Operations of `/applications`. */
export class ApplicationsResource extends AriResource {
  /** `GET /applications`. */
  list(options?: AriRequestOptions): Promise<Application[]> {
    return this.call('GET', '/applications', undefined, undefined, options);
  }
  /** `GET /applications/{applicationName}`. */
  get(params: { applicationName: string }, options?: AriRequestOptions): Promise<Application> {
    return this.call('GET', `/applications/${seg(params.applicationName)}`, undefined, undefined, options);
  }
  /**
   * `POST /applications/{applicationName}/subscription`; eventSource is `channel:<id>`, `bridge:<id>`,
   * `endpoint:<tech>[/<resource>]` or `deviceState:<name>` (several allowed).
   */
  subscribe(
    params: { applicationName: string; eventSource: string | string[] },
    options?: AriRequestOptions,
  ): Promise<Application> {
    const { applicationName, ...query } = params;
    return this.call('POST', `/applications/${seg(applicationName)}/subscription`, query, undefined, options);
  }
  /** `DELETE /applications/{applicationName}/subscription`. */
  unsubscribe(
    params: { applicationName: string; eventSource: string | string[] },
    options?: AriRequestOptions,
  ): Promise<Application> {
    const { applicationName, ...query } = params;
    return this.call(
      'DELETE',
      `/applications/${seg(applicationName)}/subscription`,
      query,
      undefined,
      options,
    );
  }
  /** `PUT /applications/{applicationName}/eventFilter` with body `{"allowed":[…],"disallowed":[…]}`. */
  filter(
    params: {
      applicationName: string;
      filter?: { allowed?: EventFilterEntry[]; disallowed?: EventFilterEntry[] };
    },
    options?: AriRequestOptions,
  ): Promise<Application> {
    return this.call(
      'PUT',
      `/applications/${seg(params.applicationName)}/eventFilter`,
      undefined,
      params.filter ?? {},
      options,
    );
  }
}

/** The smaller resources: deviceStates, endpoints, events (REST side), mailboxes, playbacks, sounds. */

import type { AriRequestOptions } from '../http.js';
import { seg } from '../http.js';
import type { DeviceState, Endpoint, Mailbox, Playback, Sound } from '../models.js';
import { AriResource, variablesBody } from './base.js';

/** Device state values. */
export type DeviceStateValue =
  | 'NOT_INUSE'
  | 'INUSE'
  | 'BUSY'
  | 'INVALID'
  | 'UNAVAILABLE'
  | 'RINGING'
  | 'RINGINUSE'
  | 'ONHOLD';

/** Operations of `/deviceStates` (only `Stasis:` devices are writable). */
export class DeviceStatesResource extends AriResource {
  /** `GET /deviceStates`. */
  list(options?: AriRequestOptions): Promise<DeviceState[]> {
    return this.call('GET', '/deviceStates', undefined, undefined, options);
  }
  /** `GET /deviceStates/{deviceName}`. */
  get(params: { deviceName: string }, options?: AriRequestOptions): Promise<DeviceState> {
    return this.call('GET', `/deviceStates/${seg(params.deviceName)}`, undefined, undefined, options);
  }
  /** `PUT /deviceStates/{deviceName}`. */
  update(
    params: { deviceName: string; deviceState: DeviceStateValue },
    options?: AriRequestOptions,
  ): Promise<void> {
    const { deviceName, ...query } = params;
    return this.call('PUT', `/deviceStates/${seg(deviceName)}`, query, undefined, options);
  }
  /** `DELETE /deviceStates/{deviceName}`. */
  delete(params: { deviceName: string }, options?: AriRequestOptions): Promise<void> {
    return this.call('DELETE', `/deviceStates/${seg(params.deviceName)}`, undefined, undefined, options);
  }
}

/** Parameters of a REFER through ARI. */
export interface ReferParams {
  /** Destination (`tech:resource`). Required. */
  to: string;
  /** Sender. Required. */
  from: string;
  /** Refer-To URI. Required. */
  refer_to: string;
  /** Whether the target is the endpoint itself. */
  to_self?: boolean;
  /** Extra variables (JSON body). */
  variables?: Record<string, string>;
}

/** Operations of `/endpoints`. */
export class EndpointsResource extends AriResource {
  /** `GET /endpoints`. */
  list(options?: AriRequestOptions): Promise<Endpoint[]> {
    return this.call('GET', '/endpoints', undefined, undefined, options);
  }
  /** `GET /endpoints/{tech}`. */
  listByTech(params: { tech: string }, options?: AriRequestOptions): Promise<Endpoint[]> {
    return this.call('GET', `/endpoints/${seg(params.tech)}`, undefined, undefined, options);
  }
  /** `GET /endpoints/{tech}/{resource}`. */
  get(params: { tech: string; resource: string }, options?: AriRequestOptions): Promise<Endpoint> {
    return this.call(
      'GET',
      `/endpoints/${seg(params.tech)}/${seg(params.resource)}`,
      undefined,
      undefined,
      options,
    );
  }
  /** `PUT /endpoints/sendMessage`. */
  sendMessage(
    params: { to: string; from: string; body?: string; variables?: Record<string, string> },
    options?: AriRequestOptions,
  ): Promise<void> {
    const { variables, ...query } = params;
    return this.call('PUT', '/endpoints/sendMessage', query, variablesBody(variables), options);
  }
  /** `PUT /endpoints/{tech}/{resource}/sendMessage`. */
  sendMessageToEndpoint(
    params: {
      tech: string;
      resource: string;
      from: string;
      body?: string;
      variables?: Record<string, string>;
    },
    options?: AriRequestOptions,
  ): Promise<void> {
    const { tech, resource, variables, ...query } = params;
    const p = `/endpoints/${seg(tech)}/${seg(resource)}/sendMessage`;
    return this.call('PUT', p, query, variablesBody(variables), options);
  }
  /** `POST /endpoints/refer`. */
  refer(params: ReferParams, options?: AriRequestOptions): Promise<void> {
    const { variables, ...query } = params;
    return this.call('POST', '/endpoints/refer', query, variablesBody(variables), options);
  }
  /** `POST /endpoints/{tech}/{resource}/refer`. */
  referToEndpoint(
    params: Omit<ReferParams, 'to'> & { tech: string; resource: string },
    options?: AriRequestOptions,
  ): Promise<void> {
    const { tech, resource, variables, ...query } = params;
    const p = `/endpoints/${seg(tech)}/${seg(resource)}/refer`;
    return this.call('POST', p, query, variablesBody(variables), options);
  }
}

/** REST operations of `/events` (the WebSocket itself is {@link AriEventSocket}). */
export class EventsResource extends AriResource {
  /** `POST /events/user/{eventName}`: raise a ChannelUserevent to an application. */
  userEvent(
    params: {
      eventName: string;
      application: string;
      source?: string | string[];
      variables?: Record<string, string>;
    },
    options?: AriRequestOptions,
  ): Promise<void> {
    const { eventName, variables, ...query } = params;
    return this.call('POST', `/events/user/${seg(eventName)}`, query, variablesBody(variables), options);
  }
  /** `POST /events/claim` (newer Asterisk): claim a channel for an application. */
  claim(params: { channelId: string; application: string }, options?: AriRequestOptions): Promise<void> {
    return this.call('POST', '/events/claim', params, undefined, options);
  }
}

/** Operations of `/mailboxes`. */
export class MailboxesResource extends AriResource {
  /** `GET /mailboxes`. */
  list(options?: AriRequestOptions): Promise<Mailbox[]> {
    return this.call('GET', '/mailboxes', undefined, undefined, options);
  }
  /** `GET /mailboxes/{mailboxName}`. */
  get(params: { mailboxName: string }, options?: AriRequestOptions): Promise<Mailbox> {
    return this.call('GET', `/mailboxes/${seg(params.mailboxName)}`, undefined, undefined, options);
  }
  /** `PUT /mailboxes/{mailboxName}`. */
  update(
    params: { mailboxName: string; oldMessages: number; newMessages: number },
    options?: AriRequestOptions,
  ): Promise<void> {
    const { mailboxName, ...query } = params;
    return this.call('PUT', `/mailboxes/${seg(mailboxName)}`, query, undefined, options);
  }
  /** `DELETE /mailboxes/{mailboxName}`. */
  delete(params: { mailboxName: string }, options?: AriRequestOptions): Promise<void> {
    return this.call('DELETE', `/mailboxes/${seg(params.mailboxName)}`, undefined, undefined, options);
  }
}

/** Playback control operations. */
export type PlaybackOperation = 'restart' | 'pause' | 'unpause' | 'reverse' | 'forward';

/** Operations of `/playbacks`. */
export class PlaybacksResource extends AriResource {
  /** `GET /playbacks/{playbackId}`. */
  get(params: { playbackId: string }, options?: AriRequestOptions): Promise<Playback> {
    return this.call('GET', `/playbacks/${seg(params.playbackId)}`, undefined, undefined, options);
  }
  /** `DELETE /playbacks/{playbackId}`: stop. */
  stop(params: { playbackId: string }, options?: AriRequestOptions): Promise<void> {
    return this.call('DELETE', `/playbacks/${seg(params.playbackId)}`, undefined, undefined, options);
  }
  /** `POST /playbacks/{playbackId}/control`. */
  control(
    params: { playbackId: string; operation: PlaybackOperation },
    options?: AriRequestOptions,
  ): Promise<void> {
    const { playbackId, ...query } = params;
    return this.call('POST', `/playbacks/${seg(playbackId)}/control`, query, undefined, options);
  }
}

/** Operations of `/sounds`. */
export class SoundsResource extends AriResource {
  /** `GET /sounds`. */
  list(params: { lang?: string; format?: string } = {}, options?: AriRequestOptions): Promise<Sound[]> {
    return this.call('GET', '/sounds', params, undefined, options);
  }
  /** `GET /sounds/{soundId}`. */
  get(params: { soundId: string }, options?: AriRequestOptions): Promise<Sound> {
    return this.call('GET', `/sounds/${seg(params.soundId)}`, undefined, undefined, options);
  }
}

/** `/asterisk`: system information, modules, logging, global variables, dynamic configuration. */

import type { AriRequestOptions } from '../http.js';
import { seg } from '../http.js';
import type { AsteriskInfo, AsteriskPing, ConfigTuple, LogChannel, Module, Variable } from '../models.js';
import { AriResource } from './base.js';

/** Operations of `/asterisk`. */
export class AsteriskResource extends AriResource {
  /** `GET /asterisk/info`: build, system, config and status (or only some of them). */
  getInfo(params: { only?: string | string[] } = {}, options?: AriRequestOptions): Promise<AsteriskInfo> {
    return this.call('GET', '/asterisk/info', params, undefined, options);
  }
  /** `GET /asterisk/ping`. */
  ping(options?: AriRequestOptions): Promise<AsteriskPing> {
    return this.call('GET', '/asterisk/ping', undefined, undefined, options);
  }
  /** `GET /asterisk/modules`. */
  listModules(options?: AriRequestOptions): Promise<Module[]> {
    return this.call('GET', '/asterisk/modules', undefined, undefined, options);
  }
  /** `GET /asterisk/modules/{moduleName}`. */
  getModule(params: { moduleName: string }, options?: AriRequestOptions): Promise<Module> {
    return this.call('GET', `/asterisk/modules/${seg(params.moduleName)}`, undefined, undefined, options);
  }
  /** `POST /asterisk/modules/{moduleName}`: load. */
  loadModule(params: { moduleName: string }, options?: AriRequestOptions): Promise<void> {
    return this.call('POST', `/asterisk/modules/${seg(params.moduleName)}`, undefined, undefined, options);
  }
  /** `DELETE /asterisk/modules/{moduleName}`: unload. */
  unloadModule(params: { moduleName: string }, options?: AriRequestOptions): Promise<void> {
    return this.call('DELETE', `/asterisk/modules/${seg(params.moduleName)}`, undefined, undefined, options);
  }
  /** `PUT /asterisk/modules/{moduleName}`: reload. */
  reloadModule(params: { moduleName: string }, options?: AriRequestOptions): Promise<void> {
    return this.call('PUT', `/asterisk/modules/${seg(params.moduleName)}`, undefined, undefined, options);
  }
  /** `GET /asterisk/logging`. */
  listLogChannels(options?: AriRequestOptions): Promise<LogChannel[]> {
    return this.call('GET', '/asterisk/logging', undefined, undefined, options);
  }
  /** `POST /asterisk/logging/{logChannelName}` (configuration = levels, e.g. `notice,warning`). */
  addLog(
    params: { logChannelName: string; configuration: string },
    options?: AriRequestOptions,
  ): Promise<void> {
    const { logChannelName, ...query } = params;
    return this.call('POST', `/asterisk/logging/${seg(logChannelName)}`, query, undefined, options);
  }
  /** `DELETE /asterisk/logging/{logChannelName}`. */
  deleteLog(params: { logChannelName: string }, options?: AriRequestOptions): Promise<void> {
    return this.call(
      'DELETE',
      `/asterisk/logging/${seg(params.logChannelName)}`,
      undefined,
      undefined,
      options,
    );
  }
  /** `PUT /asterisk/logging/{logChannelName}/rotate`. */
  rotateLog(params: { logChannelName: string }, options?: AriRequestOptions): Promise<void> {
    return this.call(
      'PUT',
      `/asterisk/logging/${seg(params.logChannelName)}/rotate`,
      undefined,
      undefined,
      options,
    );
  }
  /** `GET /asterisk/variable`: a global variable or function. */
  getGlobalVar(params: { variable: string }, options?: AriRequestOptions): Promise<Variable> {
    return this.call('GET', '/asterisk/variable', params, undefined, options);
  }
  /** `POST /asterisk/variable`. */
  setGlobalVar(params: { variable: string; value?: string }, options?: AriRequestOptions): Promise<void> {
    return this.call('POST', '/asterisk/variable', params, undefined, options);
  }
  /** `GET /asterisk/config/dynamic/{configClass}/{objectType}/{id}`. */
  getObject(params: DynamicObjectRef, options?: AriRequestOptions): Promise<ConfigTuple[]> {
    return this.call('GET', dynamicPath(params), undefined, undefined, options);
  }
  /** `PUT /asterisk/config/dynamic/{configClass}/{objectType}/{id}` (body `{"fields":[…]}`). */
  updateObject(
    params: DynamicObjectRef & { fields?: ConfigTuple[] },
    options?: AriRequestOptions,
  ): Promise<ConfigTuple[]> {
    const body = params.fields === undefined ? undefined : { fields: params.fields };
    return this.call('PUT', dynamicPath(params), undefined, body, options);
  }
  /** `DELETE /asterisk/config/dynamic/{configClass}/{objectType}/{id}`. */
  deleteObject(params: DynamicObjectRef, options?: AriRequestOptions): Promise<void> {
    return this.call('DELETE', dynamicPath(params), undefined, undefined, options);
  }
}

/** Identifies a sorcery object for the dynamic configuration operations. */
export interface DynamicObjectRef {
  /** e.g. `res_pjsip`. */
  configClass: string;
  /** e.g. `endpoint`. */
  objectType: string;
  /** Object id. */
  id: string;
}

function dynamicPath(p: DynamicObjectRef): string {
  return `/asterisk/config/dynamic/${seg(p.configClass)}/${seg(p.objectType)}/${seg(p.id)}`;
}

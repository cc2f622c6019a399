/** Shared plumbing of the typed REST resources. */
import type { AriBinaryResponse, AriHttp, AriMethod, AriQuery, AriRequestOptions } from '../http.js';

/** Base of every resource group (`ari.channels`, `ari.bridges`…): holds the transport. */
export abstract class AriResource {
  /** The transport. */
  protected readonly http: AriHttp;
  constructor(http: AriHttp) {
    this.http = http;
  }

  /** Sends one call; `query` is any params object whose keys are Asterisk's parameter names. */
  protected call<T>(
    method: AriMethod,
    path: string,
    query?: object,
    body?: unknown,
    options?: AriRequestOptions,
  ): Promise<T> {
    return this.http.request<T>({ method, path, query: query as AriQuery | undefined, body }, options);
  }

  /** Sends one call whose reply is binary. */
  protected stream(path: string, options?: AriRequestOptions): Promise<AriBinaryResponse> {
    return this.http.requestStream({ method: 'GET', path }, options);
  }
}

/** Wraps `variables` (ARI type `containers`) into the JSON body Asterisk expects, or nothing. */
export function variablesBody(
  variables: Record<string, string> | undefined,
): { variables: Record<string, string> } | undefined {
  return variables === undefined ? undefined : { variables };
}

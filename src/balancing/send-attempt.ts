import type { Dispatcher } from 'undici';
import type { EndpointRuntime } from './endpoint.js';
import { UpstreamError, type UpstreamFailureKind, type UpstreamRequest, type UpstreamResponse } from './upstream-types.js';

export type AttemptOutcome =
  | { ok: true; response: UpstreamResponse }
  /** An answer that counts as a failure (5xx, not JSON); returned to the caller once retries are spent. */
  | { ok: false; failure: 'bad-response'; response: UpstreamResponse }
  | { ok: false; failure: Exclude<UpstreamFailureKind, 'bad-response'>; error: UpstreamError };

/** One try of a call on one endpoint, bounded by `timeoutMs`; never throws. */
export async function sendAttempt(
  service: string, endpoint: EndpointRuntime, request: UpstreamRequest, timeoutMs: number, attempt: number, wantsJson: boolean,
): Promise<AttemptOutcome> {
  // A plain timer and one controller: AbortSignal.timeout/any cost 20–50 µs per call on Node 20,
  // a noticeable share of a gateway request that makes several upstream calls.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onCallerAbort = () => controller.abort();
  request.signal?.addEventListener('abort', onCallerAbort, { once: true });
  if (request.signal?.aborted) controller.abort();
  const signal = controller.signal;
  try {
    const answer = await endpoint.pool.request({
      method: request.method as Dispatcher.HttpMethod,
      path: endpoint.basePath + request.path || '/',
      headers: request.headers,
      body: request.body,
      signal,
    });
    const body = await answer.body.text();
    const response: UpstreamResponse = { status: answer.statusCode, headers: answer.headers, body, endpoint: endpoint.url, attempt };
    const ok2xx = answer.statusCode >= 200 && answer.statusCode < 300;
    if (answer.statusCode >= 500 || (ok2xx && wantsJson && !looksLikeJson(body))) return { ok: false, failure: 'bad-response', response };
    return { ok: true, response };
  } catch (error) {
    const kind = request.signal?.aborted ? 'aborted' : timedOut ? 'timeout' : classify(error);
    return { ok: false, failure: kind, error: new UpstreamError(service, kind, `${endpoint.url}: ${(error as Error).message}`) };
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener('abort', onCallerAbort);
  }
}

// Codes that mean no connection was ever made, so the request provably never reached the service.
const CONNECT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

export function classify(error: unknown): 'connect' | 'timeout' | 'reset' {
  const code = (error as { code?: string }).code ?? '';
  if (CONNECT_CODES.has(code)) return 'connect';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'timeout';
  return 'reset';
}

/**
 * Cheap check that a non-empty body can be JSON (its first character), so an endpoint answering an
 * HTML error page with 200 counts as failing without parsing every answer twice.
 */
export function looksLikeJson(body: string): boolean {
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) continue;
    return JSON_START.has(body[i]!);
  }
  return true;
}

const JSON_START = new Set(['{', '[', '"', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 't', 'f', 'n']);

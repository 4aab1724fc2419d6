import autocannon from 'autocannon';

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** Answers whose body differed from `expectBody`. */
  mismatches: number;
}

export interface LoadOptions {
  url: string;
  body: string;
  headers?: Record<string, string>;
  durationS: number;
  connections: number;
  /** When set, every answer's body must equal it byte for byte; others count as mismatches. */
  expectBody?: string;
}

/** A bounded autocannon run against one GraphQL endpoint. */
export async function runLoad({ url, body, headers = {}, durationS, connections, expectBody }: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    duration: durationS,
    connections,
    ...(expectBody === undefined ? {} : { expectBody }),
  });
  return {
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    mismatches: result.mismatches,
  };
}

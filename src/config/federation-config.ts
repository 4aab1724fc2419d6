import { z } from 'zod';

const subgraphEndpointSchema = z.strictObject({
  /** The subgraph's full GraphQL URL. */
  url: z.url({ protocol: /^https?$/, error: 'must be an absolute http:// or https:// URL' }),
  /** Relative share of traffic. @default 1 */
  weight: z.number().int().positive({ error: 'must be a positive integer' }).default(1),
  /** Data center / locality of this replica. @default "default" */
  region: z.string().min(1).default('default'),
});

const subgraphOverrideSchema = z.strictObject({
  /** Replicas to call instead of the URL written in the supergraph. */
  endpoints: z.array(subgraphEndpointSchema).min(1, { error: 'at least one endpoint is required' }).optional(),
  /** Time allowed for one upstream request to this subgraph. @default federation.timeoutMs */
  timeoutMs: z.number().int().positive().optional(),
});

/**
 * Apollo Federation (src/stitching/federation): an already composed supergraph to serve, and how to
 * reach its subgraphs. Federation subgraphs registered in the registry (`kind: federation`) need none of it.
 */
export const federationConfigSchema = z
  .strictObject({
    /**
     * A composed supergraph SDL file (what Apollo Router and Hive Gateway read). Relative to the config
     * file when set there. The registry is then optional: its stitched services join the same graph
     * when the registry folder exists. `junction serve --supergraph FILE` sets it.
     */
    supergraph: z.string().min(1).optional(),
    /**
     * Per subgraph of the supergraph, by its name in `@join__graph(name: ...)`: endpoints (replicas,
     * balanced like any service) and timeout overriding what the supergraph says. Unknown names are errors.
     * @default {}
     */
    subgraphs: z.record(z.string().min(1), subgraphOverrideSchema).default({}),
    /** Time allowed for one request to a supergraph subgraph without its own `timeoutMs`. @default 5000 */
    timeoutMs: z.number().int().positive().default(5000),
    /**
     * Progressive `@override(label: ...)` labels that are switched on. Labels of the form
     * `percent(N)` need no entry: N % of requests take the overriding subgraph.
     * @default []
     */
    overrideLabels: z.array(z.string().min(1)).default([]),
  })
  .prefault({});

export type FederationConfig = z.output<typeof federationConfigSchema>;

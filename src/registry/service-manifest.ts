import { z } from 'zod';
import { balancingManifestSchema, checkBalancingManifest, subsetName } from './balancing-manifest.js';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an absolute http:// or https:// URL' });

export const endpointSchema = z.strictObject({
  /** GraphQL and federation services: the full GraphQL URL. REST services: the base URL that `@http` paths are appended to. */
  url: httpUrl,
  /** Relative share of traffic. @default 1 */
  weight: z.number({ error: 'must be a number' }).int().positive({ error: 'must be a positive integer' }).default(1),
  /** Data center / locality of this replica. @default "default" */
  region: z.string().min(1).default('default'),
  /** Named groups this endpoint belongs to, for routing rules (canary, blue, green). @default [] */
  subsets: z.array(subsetName).default([]),
});

/** `federation`: an Apollo Federation v2 subgraph, composed with the other federation services (src/stitching/federation). */
export const serviceKinds = ['graphql', 'rest', 'federation'] as const;

/** `schemas/<service>/service.yaml`. */
export const serviceManifestSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/, { error: 'must be lower-case letters, digits and dashes, starting with a letter' }),
  kind: z.enum(serviceKinds, { error: `unknown kind; expected one of: ${serviceKinds.join(', ')}` }),
  description: z.string().optional(),
  endpoints: z.array(endpointSchema).min(1, { error: 'at least one endpoint is required' }),
  /** Time allowed for one attempt of an upstream request, connection to last byte. @default 5000 */
  timeoutMs: z.number().int().positive().default(5000),
  /** Time allowed for all attempts of one upstream request together (retries included). @default 2 × timeoutMs */
  totalTimeoutMs: z.number().int().positive().optional(),
  /** Load balancing, health checks, outlier detection, retries and routing rules (src/balancing). */
  balancing: balancingManifestSchema.prefault({}),
}).superRefine(checkBalancingManifest);

export type ServiceManifest = z.output<typeof serviceManifestSchema>;
export type Endpoint = ServiceManifest['endpoints'][number];
export type ServiceKind = ServiceManifest['kind'];

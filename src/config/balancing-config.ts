import { z } from 'zod';

/**
 * Gateway-wide balancing settings (src/balancing). Per-service settings (algorithm, health checks,
 * retries, routing rules) live in each service.yaml.
 */
export const balancingConfigSchema = z
  .strictObject({
    /**
     * The data center this gateway runs in (env `JUNCTION_REGION`). Endpoints of the same `region`
     * get the traffic while enough of them are healthy. @default "default"
     */
    region: z.string().min(1).default('default'),
    /**
     * Regions to spill over to, in order, when the local one is not healthy enough. Regions not
     * listed come after these, alphabetically. @default []
     */
    failoverOrder: z.array(z.string().min(1)).default([]),
    /**
     * Envoy's overprovisioning factor: a region keeps all its traffic while available endpoints ×
     * this factor ≥ its endpoints (1.4: while at least ~72% are available). @default 1.4
     */
    overprovisioningFactor: z.number().min(1, { error: 'must be at least 1' }).default(1.4),
    /** Keep-alive connections per endpoint. @default 64 */
    connectionsPerEndpoint: z.number().int().positive().default(64),
    admin: z
      .strictObject({
        /**
         * Bearer token for `GET /admin/upstreams` (env `JUNCTION_ADMIN_TOKEN`). Without one the
         * route answers 403: it lists internal URLs.
         */
        token: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
      })
      .prefault({}),
  })
  .prefault({});

export type BalancingConfig = z.output<typeof balancingConfigSchema>;

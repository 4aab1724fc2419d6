import { z } from 'zod';

/** Gateway-wide balancing settings, e.g. the gateway's own region (src/balancing). Filled in by issue #5. */
export const balancingConfigSchema = z.strictObject({}).prefault({});

export type BalancingConfig = z.output<typeof balancingConfigSchema>;

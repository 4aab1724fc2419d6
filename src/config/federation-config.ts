import { z } from 'zod';

/** Apollo Federation: supergraph file and per-subgraph URL overrides (src/stitching/federation). Filled in by issue #7. */
export const federationConfigSchema = z.strictObject({}).prefault({});

export type FederationConfig = z.output<typeof federationConfigSchema>;

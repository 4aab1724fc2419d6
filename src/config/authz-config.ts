import { z } from 'zod';

/** Authorization directives (src/authz). Filled in by issue #4. */
export const authzConfigSchema = z.strictObject({}).prefault({});

export type AuthzConfig = z.output<typeof authzConfigSchema>;

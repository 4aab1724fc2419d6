import { z } from 'zod';

/** Token issuance and authentication (src/auth). Filled in by issue #3. */
export const authConfigSchema = z.strictObject({}).prefault({});

export type AuthConfig = z.output<typeof authConfigSchema>;

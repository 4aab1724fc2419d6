import { z } from 'zod';

const hostPort = z.strictObject({ host: z.string().min(1), port: z.number().int().min(1).max(65535) });

/**
 * Shared state for several gateway instances: tokens, deny-lists, rate limits, usage counters.
 * Unset = embedded in-memory stores (one process only). Set one of `url`, `sentinel` or `cluster`.
 * `REDIS_URL` in the environment fills `url`.
 */
export const redisConfigSchema = z
  .strictObject({
    /** redis://[:password@]host:port[/db] or rediss:// for TLS. */
    url: z.string().regex(/^rediss?:\/\//, { error: 'must start with redis:// or rediss://' }).optional(),
    /** Redis Sentinel: the sentinels to ask and the monitored master's name. */
    sentinel: z
      .strictObject({
        sentinels: z.array(hostPort).min(1),
        name: z.string().min(1),
        password: z.string().optional(),
      })
      .optional(),
    /** Redis Cluster: seed nodes. */
    cluster: z.strictObject({ nodes: z.array(hostPort).min(1), password: z.string().optional() }).optional(),
    /** Prefix of every key the gateway writes, so several deployments can share one Redis. @default "junction:" */
    keyPrefix: z.string().default('junction:'),
    /** Give up on a command after this long; stores then fail closed or buffer, per their docs. @default 1000 */
    commandTimeoutMs: z.number().int().positive().default(1000),
  })
  .refine((r) => [r.url, r.sentinel, r.cluster].filter(Boolean).length <= 1, { error: 'set only one of url, sentinel, cluster' })
  .prefault({});

export type RedisConfig = z.output<typeof redisConfigSchema>;

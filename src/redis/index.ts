export { closeRedis, createRedis, waitForRedis, type RedisClient } from './create-redis.js';

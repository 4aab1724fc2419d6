import { maskError, type YogaServerOptions } from 'graphql-yoga';
import type { Logger } from '../telemetry/index.js';

type MaskError = NonNullable<Exclude<YogaServerOptions<object, object>['maskedErrors'], boolean | undefined>['maskError']>;

/**
 * Errors raised on purpose (GraphQL errors with a code) reach the client as they are; anything else is
 * a bug, so it is logged once here and the client gets "Unexpected error." with no stack, URL or cause.
 * Development mode is never honoured: NODE_ENV=development would otherwise put stacks in responses.
 */
export function createErrorMasker(logger: Logger): MaskError {
  return (error, message) => {
    const masked = maskError(error, message, false);
    if (masked !== error) logger.error({ err: error }, 'unexpected error (masked for the client)');
    return masked;
  };
}

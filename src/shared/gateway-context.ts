import type { Viewer } from './viewer.js';

/**
 * The GraphQL context of one client request. Each field has one owning module that sets it;
 * everyone else only reads it.
 */
export interface GatewayContext {
  /** Set by authentication (src/auth); anonymous until then. */
  viewer: Viewer;
  /** Request id (src/telemetry); echoed as x-request-id. */
  requestId?: string;
  /** The client's HTTP request. */
  request: Request;
}

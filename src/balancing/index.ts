export {
  createBalancedFetcher, type BalancedEndpoint, type BalancedFetcher, type BalancedFetcherOptions, type Locality,
} from './balanced-fetcher.js';
export type { BalancingLogger } from './endpoint-health.js';
export { pickLeastRequests, type LeastRequestsCandidate } from './least-requests.js';
export { baseWeightFor, pickerFor, slowStartFactor } from './pickers.js';
export { createRetryBudget, type RetryBudget, type RetryBudgetOptions } from './retry-budget.js';
export { createRuleMatcher, stableBucket, type RuleMatcher } from './routing-rules.js';
export { pickSmoothWeighted, type WeightedCandidate } from './smooth-weighted.js';
export { orderRegions, pickLevel, planTraffic, regionShares, type RegionLevel, type TrafficPlan } from './traffic-plan.js';
export type {
  EndpointSnapshot, EndpointState, EndpointStateEvent, ServiceSnapshot, ServiceStateEvent, UpstreamEvent, UpstreamEventListener,
  UpstreamsSnapshot,
} from './upstream-events.js';
export {
  UpstreamError, type UpstreamCallRecord, type UpstreamFailureKind, type UpstreamObserver, type UpstreamRequest, type UpstreamResponse,
} from './upstream-types.js';
export { createUpstreams, type Upstreams, type UpstreamsOptions } from './upstreams.js';
export { useUpstreamsAdmin, type UpstreamsAdminOptions } from './use-upstreams-admin.js';

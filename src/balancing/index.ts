export { createBalancedFetcher, type BalancedFetcher, type BalancedFetcherOptions } from './balanced-fetcher.js';
export { pickSmoothWeighted, type WeightedCandidate } from './smooth-weighted.js';
export {
  UpstreamError, type UpstreamCallRecord, type UpstreamFailureKind, type UpstreamObserver, type UpstreamRequest, type UpstreamResponse,
} from './upstream-types.js';
export { createUpstreams, type Upstreams, type UpstreamsOptions } from './upstreams.js';

export { createBalancedFetcher, type BalancedFetcher, type BalancedFetcherOptions } from './balanced-fetcher.js';
export { pickSmoothWeighted, type WeightedCandidate } from './smooth-weighted.js';
export { UpstreamError, type UpstreamFailureKind, type UpstreamRequest, type UpstreamResponse } from './upstream-types.js';
export { createUpstreams, type Upstreams } from './upstreams.js';

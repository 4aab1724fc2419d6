import { federationBenchServices } from '../federation-bench/subgraphs.js';
import type { RequestHandler } from '../mock-server.js';
import { createAuthHandler } from './auth.js';
import { createInventoryHandler } from './inventory.js';
import { createOrdersHandler } from './orders.js';
import { createProductsHandler } from './products.js';
import { createReviewsHandler } from './reviews.js';
import { createUsersHandler } from './users.js';

export const mockServices: Record<string, () => RequestHandler> = {
  users: createUsersHandler,
  products: createProductsHandler,
  reviews: createReviewsHandler,
  orders: createOrdersHandler,
  // An Apollo Federation subgraph (kind: federation) extending the stitched Product.
  inventory: createInventoryHandler,
  auth: createAuthHandler,
  // The four subgraphs of the federation benchmark (fed-accounts, fed-inventory, fed-products, fed-reviews).
  ...federationBenchServices,
};
export type MockServiceName = keyof typeof mockServices;

/**
 * Data of the federation benchmark subgraphs (accounts / inventory / products / reviews), shaped like
 * the public gateway benchmarks, generated from a fixed seed.
 */
export interface BenchUser { id: string; name: string; username: string; birthday: number }
export interface BenchProduct { upc: string; name: string; price: number; weight: number }
export interface BenchReview { id: string; body: string; authorId: string; productUpc: string }
export interface BenchInventory { upc: string; inStock: boolean }

let seed = 1337;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

export const benchUsers: BenchUser[] = Array.from({ length: 6 }, (_, i) => ({
  id: String(i + 1),
  name: `User ${i + 1}`,
  username: `@user${i + 1}`,
  birthday: int(1_000_000, 1_500_000_000),
}));

/** 120 products so the N+1 workload can ask for 100. */
export const benchProducts: BenchProduct[] = Array.from({ length: 120 }, (_, i) => ({
  upc: String(i + 1),
  name: `Product ${i + 1}`,
  price: int(10, 2000),
  weight: int(1, 100),
}));

export const benchInventory: BenchInventory[] = benchProducts.map((p) => ({ upc: p.upc, inStock: random() > 0.3 }));

/**
 * The first 24 products have 1–2 reviews each by random users; the rest have none. The benchmark
 * query nests users -> reviews -> product -> reviews -> author -> reviews, so more reviews per user
 * would grow its answer geometrically.
 */
export const benchReviews: BenchReview[] = benchProducts.slice(0, 24).flatMap((p) =>
  Array.from({ length: int(1, 2) }, () => ({ id: '', body: `Review of ${p.name}`, authorId: String(int(1, benchUsers.length)), productUpc: p.upc })),
).map((r, i) => ({ ...r, id: String(i + 1), body: `${r.body} #${i + 1}` }));

/** What inventory computes from the fields `@requires` sends: free above 1000, else half the weight. */
export function shippingEstimate(price: number, weight: number): number {
  return price > 1000 ? 0 : Math.round(weight * 0.5);
}

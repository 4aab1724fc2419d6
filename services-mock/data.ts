/**
 * The demo's data, generated from a fixed seed so every run, replica and the bench monolith see the
 * same records. User 1 (alice) has orders and every product has at least one review.
 */
export interface User { id: string; username: string; name: string; email: string }
export interface Product { id: string; name: string; price: number; sales: number }
export interface Review { id: string; productId: string; authorId: string; rating: number; body: string }
export interface OrderLine { productId: string; quantity: number; unitPrice: number }
export interface Order { id: string; userId: string; placedAt: string; total: number; lines: OrderLine[] }

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = mulberry32(20261127);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const round2 = (n: number) => Math.round(n * 100) / 100;

const FIRST = ['Carol', 'Dave', 'Erin', 'Frank', 'Grace', 'Heidi', 'Ivan', 'Judy', 'Mallory', 'Niaj', 'Olivia', 'Peggy', 'Rupert', 'Sybil', 'Trent', 'Victor', 'Walter', 'Yara'];
const LAST = ['Adams', 'Baker', 'Clark', 'Diaz', 'Evans', 'Flores', 'Garcia', 'Hughes', 'Ito', 'Jones', 'Khan', 'Lopez'];
const ADJECTIVES = ['Trusty', 'Compact', 'Deluxe', 'Rugged', 'Silent', 'Bright', 'Classic', 'Nimble', 'Sturdy', 'Cosy'];
const NOUNS = ['Kettle', 'Lamp', 'Backpack', 'Teapot', 'Headphones', 'Notebook', 'Umbrella', 'Blender', 'Chair', 'Bicycle bell', 'Torch', 'Mug'];
const OPINIONS = ['Does exactly what it says.', 'Arrived quickly, works well.', 'Good value for the price.', 'Broke after a week.', 'Would buy again.', 'Nicer than the photos.', 'A bit noisy but fine.', 'My favourite purchase this year.'];

export const USER_COUNT = 20;
export const PRODUCT_COUNT = 60;

export const users: User[] = [
  { id: '1', username: 'alice', name: 'Alice Liddell', email: 'alice@example.com' },
  { id: '2', username: 'bob', name: 'Bob Builder', email: 'bob@example.com' },
];
while (users.length < USER_COUNT) {
  const first = FIRST[users.length - 2]!;
  const last = pick(LAST);
  const username = first.toLowerCase();
  users.push({ id: String(users.length + 1), username, name: `${first} ${last}`, email: `${username}@example.com` });
}

export const products: Product[] = Array.from({ length: PRODUCT_COUNT }, (_, i) => ({
  id: String(i + 1),
  name: `${pick(ADJECTIVES)} ${pick(NOUNS)}`,
  price: round2(between(500, 50_000) / 100),
  sales: between(0, 10_000),
}));

export const reviews: Review[] = [];
for (const product of products) {
  for (let n = between(1, 4); n > 0; n--) {
    reviews.push({
      id: String(reviews.length + 1),
      productId: product.id,
      authorId: pick(users).id,
      rating: between(1, 5),
      body: pick(OPINIONS),
    });
  }
}

export const orders: Order[] = [];
for (const user of users) {
  const count = user.id === '1' ? 3 : between(0, 4);
  for (let n = 0; n < count; n++) {
    const lines = Array.from({ length: between(1, 3) }, () => {
      const product = pick(products);
      return { productId: product.id, quantity: between(1, 3), unitPrice: product.price };
    });
    const day = String(between(1, 28)).padStart(2, '0');
    orders.push({
      id: String(1000 + orders.length + 1),
      userId: user.id,
      placedAt: `2026-10-${day}T12:00:00.000Z`,
      total: round2(lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0)),
      lines,
    });
  }
}

/** Products by sales, best first: what `topProducts` returns. */
export const productsBySales = [...products].sort((a, b) => b.sales - a.sales || Number(a.id) - Number(b.id));

/** Demo credentials checked by the auth service. Passwords live only here, never in the gateway. */
export const accounts = [
  { username: 'alice', password: 'wonderland', subject: '1', roles: ['admin'], scopes: ['orders:read', 'orders:write', 'users:read'] },
  { username: 'bob', password: 'builder', subject: '2', roles: ['customer'], scopes: ['orders:read', 'orders:write'] },
];

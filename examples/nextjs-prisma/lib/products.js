import { db } from './db.js';

// The tables of prisma/schema.prisma (model Product -> "products"), read with pg.
export async function listProducts() {
  const { rows } = await db().query('SELECT id, name, price_cents AS "priceCents" FROM products ORDER BY id');
  return rows;
}

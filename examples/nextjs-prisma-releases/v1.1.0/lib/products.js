import { db } from './db.js';

// The tables of prisma/schema.prisma (Product -> "products", Review -> "reviews"), read with pg.
export async function listProducts() {
  const { rows } = await db().query(`
    SELECT p.id, p.name, p.price_cents AS "priceCents", p.in_stock AS "inStock",
           count(r.id)::int AS reviews, round(avg(r.rating), 1)::float AS rating
      FROM products p LEFT JOIN reviews r ON r.product_id = p.id
     GROUP BY p.id ORDER BY p.id`);
  return rows;
}

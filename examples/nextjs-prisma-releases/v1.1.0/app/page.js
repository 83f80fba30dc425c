import { listProducts } from '../lib/products.js';

// Rendered per request: the page shows what the database holds now.
export const dynamic = 'force-dynamic';

const euros = (cents) => (cents / 100).toFixed(2) + ' €';

export default async function Home() {
  const products = await listProducts();
  return (
    <main>
      <h1>Shop</h1>
      <p id="release">release {process.env.VERSION ?? 'dev'}</p>
      <ul>
        {products.map((p) => (
          <li key={p.id} className="product">
            {p.name}: {euros(p.priceCents)}
            {p.inStock ? '' : ' (out of stock)'}
            <span className="reviews"> · {p.reviews} reviews{p.reviews > 0 ? `, ${p.rating}/5` : ''}</span>
          </li>
        ))}
      </ul>
    </main>
  );
}

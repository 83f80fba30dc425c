import pg from 'pg';

// One pool per server process (Next may load this module in more than one bundle, hence globalThis).
export function db() {
  if (!globalThis.shopPool) {
    globalThis.shopPool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 5, connectionTimeoutMillis: 2000 });
  }
  return globalThis.shopPool;
}

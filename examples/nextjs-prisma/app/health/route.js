import { db } from '../../lib/db.js';

// The manifest's healthcheck (sop.md 000-11.1): 200 while the database answers, 503 otherwise.
export const dynamic = 'force-dynamic';

export async function GET() {
  const version = process.env.VERSION ?? 'dev';
  try {
    await db().query('SELECT 1');
    return Response.json({ status: 'UP', version, database: 'UP' });
  } catch (e) {
    return Response.json({ status: 'DOWN', version, database: String(e.message) }, { status: 503 });
  }
}

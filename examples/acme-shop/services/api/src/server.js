// Orders API. Reads orders (id, customer_email, total_cents, note, created_at) through the database
// gateway named by DATABASE_URL; kept dependency-free, so this example answers from memory.
const http = require('node:http');
const metered = require('./metrics');

const port = Number(process.env.PORT || 4000);
const orders = [];

http.createServer(metered((req, res) => {
  // Runway's executor checks through nginx that the front serves the version it started (VERSION is set by it).
  res.setHeader('x-release-version', process.env.VERSION || 'dev');
  res.setHeader('content-type', 'application/json');
  if (req.url === '/health') {
    return res.end(JSON.stringify({ status: 'ok' }));
  }
  if (req.url === '/orders' && req.method === 'GET') {
    return res.end(JSON.stringify(orders.map(o => ({
      id: o.id, customer_email: o.customer_email, total_cents: o.total_cents, note: o.note ?? null,
    }))));
  }
  res.statusCode = 404;
  res.end(JSON.stringify({ error: 'not found' }));
})).listen(port, () => console.log(`api on ${port}`));

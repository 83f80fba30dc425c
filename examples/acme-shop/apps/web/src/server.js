// Static storefront: serves public/ and a health endpoint for Runway's health-watcher.
const http = require('node:http');
const metered = require('./metrics');
const fs = require('node:fs');
const path = require('node:path');

const port = Number(process.env.PORT || 3000);
const root = path.join(__dirname, '..', 'public');

http.createServer(metered((req, res) => {
  // Runway's executor checks through nginx that the front serves the version it started (VERSION is set by it).
  res.setHeader('x-release-version', process.env.VERSION || 'dev');
  if (req.url === '/api/health') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ status: 'ok' }));
  }
  const file = path.join(root, req.url === '/' ? 'index.html' : path.normalize(req.url));
  if (!file.startsWith(root)) {
    res.writeHead(404);
    return res.end();
  }
  fs.readFile(file, (err, body) => {
    res.writeHead(err ? 404 : 200);
    res.end(err ? 'not found' : body);
  });
})).listen(port, () => console.log(`web on ${port}`));

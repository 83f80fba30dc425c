// Prometheus-format request metrics at /q/metrics, what Runway's health-watcher reads (dependency-free).
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const byCode = new Map();
const buckets = BUCKETS.map(() => 0);
let count = 0;
let sum = 0;

function observe(res, started) {
  res.on('finish', () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    byCode.set(res.statusCode, (byCode.get(res.statusCode) || 0) + 1);
    BUCKETS.forEach((le, i) => { if (seconds <= le) buckets[i]++; });
    count++;
    sum += seconds;
  });
}

function render() {
  const lines = ['# TYPE http_requests_total counter'];
  if (byCode.size === 0) lines.push('http_requests_total{code="200"} 0');
  for (const [code, n] of [...byCode.entries()].sort()) lines.push(`http_requests_total{code="${code}"} ${n}`);
  lines.push('# TYPE http_request_duration_seconds histogram');
  BUCKETS.forEach((le, i) => lines.push(`http_request_duration_seconds_bucket{le="${le}"} ${buckets[i]}`));
  lines.push(`http_request_duration_seconds_bucket{le="+Inf"} ${count}`);
  lines.push(`http_request_duration_seconds_sum ${sum}`);
  lines.push(`http_request_duration_seconds_count ${count}`);
  return lines.join('\n') + '\n';
}

// Wraps a request handler: /q/metrics answers from here, every other request is counted.
module.exports = (handler) => (req, res) => {
  if (req.url === '/q/metrics') {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    return res.end(render());
  }
  observe(res, process.hrtime.bigint());
  return handler(req, res);
};

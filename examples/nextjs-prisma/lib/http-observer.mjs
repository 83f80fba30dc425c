// What Runway needs from a running release, added around `next start` without touching Next's request handling:
// every answer carries X-Release-Version (the executor checks through nginx which release serves), and
// GET /q/metrics answers Prometheus text (the health-watcher's error rate and latency during the monitoring
// window: http_requests_total{code} and the http_request_duration_seconds histogram).
import http from 'node:http';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function observe(version) {
  const byCode = new Map();
  const buckets = BUCKETS.map(() => 0);
  let count = 0;
  let sum = 0;

  const render = () => {
    const lines = ['# TYPE http_requests_total counter'];
    if (byCode.size === 0) lines.push('http_requests_total{code="200"} 0');
    for (const [code, n] of [...byCode.entries()].sort((a, b) => a[0] - b[0])) lines.push(`http_requests_total{code="${code}"} ${n}`);
    lines.push('# TYPE http_request_duration_seconds histogram');
    BUCKETS.forEach((le, i) => lines.push(`http_request_duration_seconds_bucket{le="${le}"} ${buckets[i]}`));
    lines.push(`http_request_duration_seconds_bucket{le="+Inf"} ${count}`);
    lines.push(`http_request_duration_seconds_sum ${sum}`);
    lines.push(`http_request_duration_seconds_count ${count}`);
    return lines.join('\n') + '\n';
  };

  // Next creates its own http.Server; a request event passes through here first, on every server of the process.
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (event, req, res) {
    if (event !== 'request') return emit.apply(this, arguments);
    res.setHeader('X-Release-Version', version);
    if (req.method === 'GET' && req.url === '/q/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(render());
      return true;
    }
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      byCode.set(res.statusCode, (byCode.get(res.statusCode) || 0) + 1);
      BUCKETS.forEach((le, i) => { if (seconds <= le) buckets[i]++; });
      count++;
      sum += seconds;
    });
    return emit.apply(this, arguments);
  };
}

// What Runway needs from a running release, added around `next start` without touching Next's request handling:
// every answer carries X-Release-Version (the executor checks through nginx which release serves),
// GET /q/metrics answers Prometheus text (the health-watcher's error rate and latency during the monitoring
// window: http_requests_total{code} and the http_request_duration_seconds histogram), and a request that asks to
// upgrade to h2c is answered as the HTTP/1.1 request it also is (below).
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

  // Java's HttpClient (the executor's health probe) asks to upgrade every http:// request to h2c. Node hands a request
  // with an Upgrade header to the server's 'upgrade' listeners when it has any, and `next start` registers one (for
  // proxied websockets, which this application has none of) that leaves such a request unanswered: the slot never
  // looked healthy. Without 'upgrade' listeners Node serves it as a plain request, as RFC 9110 lets a server that
  // does not upgrade do.
  const on = http.Server.prototype.on;
  http.Server.prototype.on = http.Server.prototype.addListener = function (event, listener) {
    return event === 'upgrade' ? this : on.call(this, event, listener);
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

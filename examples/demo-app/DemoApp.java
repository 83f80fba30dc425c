import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A tiny release of "a client project" that Runway deploys in the demo and in tests: one file, run
 * with the JDK's source launcher ({@code java DemoApp.java}), so no build step sits between a
 * version and its process.
 *
 * <p>It serves the SOP's health endpoints (sop.md 000-11.1) and Prometheus-format metrics, and lets
 * a test or the demo control its failure rate and latency, so that a release can "fail under
 * traffic" on demand.
 *
 * <p>Configuration (environment, overridable at runtime through {@code POST /admin/fault}):
 * <ul>
 *   <li>{@code PORT} (default 8000), {@code VERSION} (default 0.0.0), {@code COLOR} (blue|green|-)</li>
 *   <li>{@code ERROR_RATE} 0..1 — share of {@code GET /} answered 500</li>
 *   <li>{@code LATENCY_MS} — added delay for {@code GET /}</li>
 *   <li>{@code HEALTHY} true|false — {@code /health} answers 200 or 503</li>
 * </ul>
 * The first argument {@code --name <project>} names the project it plays (default {@code demo-app}),
 * so two client projects built from this one file answer as themselves.
 */
public class DemoApp {

    /** Histogram bucket upper bounds in seconds (Prometheus {@code le} labels). */
    private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final String name;
    private final String version;
    private final String color;
    private volatile double errorRate;
    private volatile long latencyMs;
    private volatile boolean healthy;

    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLongArray bucketCounts = new AtomicLongArray(BUCKETS.length);
    private final AtomicLong durationMicros = new AtomicLong();

    DemoApp(String name, String version, String color, double errorRate, long latencyMs, boolean healthy) {
        this.name = name;
        this.version = version;
        this.color = color;
        this.errorRate = errorRate;
        this.latencyMs = latencyMs;
        this.healthy = healthy;
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(env("PORT", "8000"));
        String name = args.length == 2 && args[0].equals("--name") ? args[1] : "demo-app";
        DemoApp app = new DemoApp(name, env("VERSION", "0.0.0"), env("COLOR", "-"),
                Double.parseDouble(env("ERROR_RATE", "0")), Long.parseLong(env("LATENCY_MS", "0")),
                Boolean.parseBoolean(env("HEALTHY", "true")));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", app::root);
        server.createContext("/health", app::health);
        server.createContext("/metrics", app::metrics);
        server.createContext("/q/metrics", app::metrics);
        server.createContext("/admin/fault", app::fault);
        server.start();
        System.out.printf("%s %s (%s) listening on 127.0.0.1:%d%n", app.name, app.version, app.color, port);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private void root(HttpExchange exchange) throws IOException {
        if (!"/".equals(exchange.getRequestURI().getPath())) {
            send(exchange, 404, "text/plain", "not found\n");
            return;
        }
        long start = System.nanoTime();
        if (latencyMs > 0) {
            try {
                Thread.sleep(latencyMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        boolean fail = ThreadLocalRandom.current().nextDouble() < errorRate;
        observe(System.nanoTime() - start, fail);
        if (fail) {
            send(exchange, 500, "application/json", json("error", "injected failure"));
        } else {
            send(exchange, 200, "application/json", json("status", "ok"));
        }
    }

    private void health(HttpExchange exchange) throws IOException {
        // /health, /health/db and /health/redis: the SOP's three checks share one switch here.
        int status = healthy ? 200 : 503;
        send(exchange, status, "application/json", json("status", healthy ? "UP" : "DOWN"));
    }

    private void metrics(HttpExchange exchange) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("# HELP http_requests_total Requests to / by outcome.\n");
        out.append("# TYPE http_requests_total counter\n");
        out.append("http_requests_total{code=\"200\"} ").append(ok.get()).append('\n');
        out.append("http_requests_total{code=\"500\"} ").append(failed.get()).append('\n');
        out.append("# HELP http_request_duration_seconds Latency of / in seconds.\n");
        out.append("# TYPE http_request_duration_seconds histogram\n");
        for (int i = 0; i < BUCKETS.length; i++) {
            out.append("http_request_duration_seconds_bucket{le=\"").append(BUCKETS[i]).append("\"} ")
                    .append(bucketCounts.get(i)).append('\n');
        }
        long count = ok.get() + failed.get();
        out.append("http_request_duration_seconds_bucket{le=\"+Inf\"} ").append(count).append('\n');
        out.append("http_request_duration_seconds_sum ").append(durationMicros.get() / 1_000_000.0).append('\n');
        out.append("http_request_duration_seconds_count ").append(count).append('\n');
        out.append("# HELP demo_app_info Version of this release.\n");
        out.append("# TYPE demo_app_info gauge\n");
        out.append("demo_app_info{version=\"").append(version).append("\",color=\"").append(color).append("\"} 1\n");
        send(exchange, 200, "text/plain; version=0.0.4", out.toString());
    }

    private void fault(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            send(exchange, 405, "text/plain", "POST only\n");
            return;
        }
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        try {
            if (query.containsKey("errorRate")) {
                errorRate = Double.parseDouble(query.get("errorRate"));
            }
            if (query.containsKey("latencyMs")) {
                latencyMs = Long.parseLong(query.get("latencyMs"));
            }
            if (query.containsKey("healthy")) {
                healthy = Boolean.parseBoolean(query.get("healthy"));
            }
        } catch (NumberFormatException e) {
            send(exchange, 400, "text/plain", "bad number: " + e.getMessage() + "\n");
            return;
        }
        send(exchange, 200, "application/json", "{\"errorRate\":" + errorRate + ",\"latencyMs\":" + latencyMs
                + ",\"healthy\":" + healthy + "}\n");
    }

    private void observe(long nanos, boolean fail) {
        (fail ? failed : ok).incrementAndGet();
        durationMicros.addAndGet(nanos / 1_000);
        double seconds = nanos / 1e9;
        // Cumulative buckets, as the Prometheus text format expects.
        for (int i = 0; i < BUCKETS.length; i++) {
            if (seconds <= BUCKETS[i]) {
                bucketCounts.incrementAndGet(i);
            }
        }
    }

    private String json(String key, String value) {
        return "{\"" + key + "\":\"" + value + "\",\"app\":\"" + name + "\",\"version\":\"" + version + "\",\"color\":\"" + color + "\"}\n";
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> result = new HashMap<>();
        if (raw == null) {
            return result;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                result.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return result;
    }

    private void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("X-Release-Version", version);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}

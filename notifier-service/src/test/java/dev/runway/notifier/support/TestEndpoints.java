package dev.runway.notifier.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server standing in for Slack and webhook receivers. What it answers depends on the
 * path's last segment: {@code ok} (and /slack, /audit) 200; {@code flaky} 503 twice per event then 200;
 * {@code gone} 410; {@code down} 503 always; {@code leaky} 400 with credentials in the answer
 * ({@link #LEAKED}); {@code hang} no answer until {@link #releaseHangs()}.
 */
public final class TestEndpoints {

    /** One request as received (also failed ones). */
    public record Request(String path, String query, Map<String, String> headers, String body, long atNanos, int answered) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** What a {@code leaky} receiver puts in its answer; none of it may be stored, shown or logged. */
    public static final String LEAKED = "denied for Bearer LEAK-bearer-4e1f9a password=LEAK-pass-5678";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> hitsPerPath = new ConcurrentHashMap<>();
    private volatile CountDownLatch hangs = new CountDownLatch(1);

    public TestEndpoints() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Request> requests(Predicate<Request> match) {
        return requests.stream().filter(match).toList();
    }

    /** Lets every hanging request answer (200) now, and later ones hang again. */
    public void releaseHangs() {
        CountDownLatch old = hangs;
        hangs = new CountDownLatch(1);
        old.countDown();
    }

    public void stop() {
        releaseHangs();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
        // Counted per path and event, so each event meets a flaky endpoint's failures on its own.
        int hit = hitsPerPath.computeIfAbsent(path + "|" + headers.get("x-runway-event-id"), p -> new AtomicInteger())
                .incrementAndGet();
        String behaviour = path.substring(path.lastIndexOf('/') + 1);
        int status = switch (behaviour) {
            case "flaky" -> hit <= 2 ? 503 : 200;
            case "gone" -> 410;
            case "down" -> 503;
            case "leaky" -> 400;
            default -> 200;
        };
        if (path.startsWith("/slack") || path.startsWith("/audit")) {
            status = 200;
        }
        long at = System.nanoTime();
        if ("hang".equals(behaviour)) {
            try {
                hangs.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        requests.add(new Request(path, exchange.getRequestURI().getRawQuery(), Map.copyOf(headers), body, at, status));
        String text = "leaky".equals(behaviour) ? LEAKED : status == 200 ? "ok" : "error " + status;
        byte[] answer = text.getBytes(StandardCharsets.UTF_8);
        try {
            exchange.sendResponseHeaders(status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        } catch (IOException e) {
            // The notifier gave up waiting (timeout) and closed the connection.
        } finally {
            exchange.close();
        }
    }
}

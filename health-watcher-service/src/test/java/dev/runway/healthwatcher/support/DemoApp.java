package dev.runway.healthwatcher.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * The real demo release (examples/demo-app/DemoApp.java) as a separate process, with a little
 * traffic generator, so tests watch real HTTP and real Prometheus text.
 */
public final class DemoApp implements AutoCloseable {

    static final Path SOURCE = Path.of("..", "examples", "demo-app", "DemoApp.java").toAbsolutePath().normalize();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;
    private ScheduledExecutorService traffic;
    private final AtomicLong sent = new AtomicLong();

    private DemoApp(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static DemoApp start(String version, double errorRate) {
        if (!Files.isRegularFile(SOURCE)) {
            throw new IllegalStateException("demo app not found at " + SOURCE);
        }
        int port = freePort();
        try {
            Path log = Files.createDirectories(Path.of("target", "demo-app")).resolve("demo-" + port + ".log");
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx64m", "-XX:TieredStopAtLevel=1", SOURCE.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("PORT", String.valueOf(port));
            pb.environment().put("VERSION", version);
            pb.environment().put("ERROR_RATE", String.format(Locale.ROOT, "%f", errorRate));
            DemoApp app = new DemoApp(pb.start(), port);
            app.awaitUp(Duration.ofSeconds(60));
            return app;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitUp(Duration timeout) {
        try {
            // Any answer will do; until then the port refuses (not listening yet).
            Awaitility.await("demo app on port " + port).atMost(timeout).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .failFast("demo app exited", () -> !process.isAlive())
                    .until(() -> HTTP.send(HttpRequest.newBuilder(URI.create(url("/health"))).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() > 0);
        } catch (TerminalFailureException e) {
            throw new IllegalStateException("demo app exited with " + process.exitValue(), e);
        } catch (ConditionTimeoutException e) {
            close();
            throw new IllegalStateException("demo app did not answer on port " + port + " within " + timeout, e);
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public String metricsUrl() {
        return url("/q/metrics");
    }

    public String healthUrl() {
        return url("/health");
    }

    /** Changes behaviour live through POST /admin/fault. */
    public void fault(Double errorRate, Long latencyMs, Boolean healthy) {
        StringBuilder q = new StringBuilder();
        if (errorRate != null) {
            q.append("errorRate=").append(errorRate).append('&');
        }
        if (latencyMs != null) {
            q.append("latencyMs=").append(latencyMs).append('&');
        }
        if (healthy != null) {
            q.append("healthy=").append(healthy);
        }
        try {
            int status = HTTP.send(HttpRequest.newBuilder(URI.create(url("/admin/fault?" + q))).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 200) {
                throw new IllegalStateException("fault answered " + status);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends GET / about {@code perSecond} times a second until closed. */
    public DemoApp withTraffic(int perSecond) {
        traffic = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "traffic-" + port);
            t.setDaemon(true);
            return t;
        });
        HttpRequest get = HttpRequest.newBuilder(URI.create(url("/"))).timeout(Duration.ofSeconds(5)).build();
        traffic.scheduleAtFixedRate(() -> {
            sent.incrementAndGet();
            HTTP.sendAsync(get, HttpResponse.BodyHandlers.discarding());
        }, 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
        return this;
    }

    public long requestsSent() {
        return sent.get();
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (traffic != null) {
            traffic.shutdownNow();
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

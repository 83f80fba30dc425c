package dev.runway.healthwatcher.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Headless Debian chromium driven over the DevTools protocol with the JDK's own WebSocket client:
 * open a page, evaluate JavaScript in it. Enough for a test; no driver binary or Selenium needed.
 */
final class Chromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    static String binary() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("Debian chromium is not installed: apt-get install -y chromium (./runway test installs it)");
    }

    Chromium(String url) throws Exception {
        profile = Files.createTempDirectory("hw-chromium-");
        process = new ProcessBuilder(binary(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "--remote-allow-origins=*", url)
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        Path portFile = profile.resolve("DevToolsActivePort");
        try {
            Awaitility.await("chromium's DevTools port").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .failFast("chromium exited", () -> !process.isAlive())
                    .until(() -> Files.exists(portFile) && Files.readAllLines(portFile).size() >= 2);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new IllegalStateException("chromium did not open its DevTools port; log: " + Files.readString(profile.resolve("chromium.log")), e);
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
        HttpClient http = HttpClient.newHttpClient();
        String pageSocket = Awaitility.await("a page target in chromium").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> pageTarget(http, port), Optional::isPresent).orElseThrow();
        socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    try {
                        JsonNode message = JSON.readTree(text.toString());
                        CompletableFuture<JsonNode> f = message.has("id") ? pending.remove(message.get("id").asInt()) : null;
                        if (f != null) {
                            f.complete(message);
                        }
                    } catch (IOException e) {
                        // not ours to fail on
                    }
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
    }

    /** The DevTools WebSocket of chromium's page, once it has one. */
    private static Optional<String> pageTarget(HttpClient http, int port) throws IOException, InterruptedException {
        JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        String pageSocket = null;
        for (JsonNode t : targets) {
            if ("page".equals(t.path("type").asText())) {
                pageSocket = t.path("webSocketDebuggerUrl").asText();
            }
        }
        return Optional.ofNullable(pageSocket);
    }

    /** Runtime.evaluate; the value of the expression as JSON, a promise's once it has settled. */
    JsonNode evaluate(String expression) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        String message = JSON.writeValueAsString(Map.of("id", id, "method", "Runtime.evaluate",
                "params", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true)));
        socket.sendText(message, true).get(5, TimeUnit.SECONDS);
        return reply.get(10, TimeUnit.SECONDS).path("result").path("result").path("value");
    }

    /** Evaluates an expression until it is true. */
    void awaitTrue(String expression, Duration timeout) throws Exception {
        try {
            Awaitility.await(expression).atMost(timeout).pollInterval(Duration.ofMillis(200))
                    .until(() -> evaluate(expression).asBoolean(false));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("page never satisfied: " + expression + "\npage text:\n" + evaluate("document.body.innerText").asText());
        }
    }

    @Override
    public void close() throws IOException {
        try {
            socket.abort();
        } catch (RuntimeException e) {
            // closing anyway
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

package dev.runway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The first deployment of cli/README.md, run exactly as written: the fenced bash block that holds
 * {@code ./runway deploy}, executed by bash from the repository root (issue 16, item 4: a newcomer's first
 * deployment must work as documented). It needs nothing from DemoEndToEndIT: the block's {@code ./runway up}
 * brings up whatever is not running. What this test started is stopped again; the stack keeps running.
 */
class DocumentedDeployIT {

    static final Path ROOT = Path.of(System.getProperty("runway.root", "..")).toAbsolutePath().normalize();
    static final Path STATE = Path.of(System.getenv().getOrDefault("RUNWAY_STATE", ROOT.resolve(".runway").toString()));
    static final String API = "http://127.0.0.1:8080";
    static final List<String> SERVICES = List.of("validator-service", "executor-service", "health-watcher-service", "notifier-service",
            "orchestrator-service");
    static final Pattern REQUESTED = Pattern.compile("Deployment ([0-9a-f-]{36}) requested");
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Map<String, Long> runningBefore = new TreeMap<>();

    @BeforeAll
    static void rememberWhatRuns() throws Exception {
        runningBefore.putAll(alive());
        // As on a fresh clone: no snapshot of the example yet (a release already snapshot from other files is refused).
        Path snapshot = STATE.resolve("snapshots/acme-shop.git");
        if (Files.isDirectory(snapshot)) {
            try (var walk = Files.walk(snapshot)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void theReadmesFirstDeploymentSucceedsAsWritten() throws Exception {
        String block = block(Files.readString(ROOT.resolve("cli/README.md")), "./runway deploy ");
        Path script = Files.createTempFile("documented-deploy", ".sh");
        Files.writeString(script, "set -euo pipefail\n" + block);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("bash", script.toString()).directory(ROOT.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            // A deployment that never ends must not hold the machine: the CLI and the script are stopped.
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError("the documented block did not end in 10 minutes:\n" + output.getNow("(no output)"));
        }
        String out = output.get(1, TimeUnit.MINUTES);
        System.out.println(out);
        System.out.printf("e2e: the documented block took %d s%n", (System.nanoTime() - t0) / 1_000_000_000L);
        assertEquals(0, p.exitValue(), "the documented block failed:\n" + out);
        assertTrue(out.contains("examples/acme-shop is not the top of its own git repository: sent as snapshot"), out);
        assertTrue(out.contains("SUCCEEDED  acme-shop 1.2.3 → staging"), out);
        assertFalse(out.contains("undo-"), "no compensation ran:\n" + out);
        Matcher requested = REQUESTED.matcher(out);
        assertTrue(requested.find(), out);

        // The outcome as the API tells it, read with a viewer's token signed by the services' key pair.
        String token = run(ROOT.resolve("runway").toString(), "token", "e2e-documented", "viewer").strip();
        JsonNode d = get("/deployments/" + requested.group(1), token);
        assertEquals("SUCCEEDED", d.get("state").asText());
        assertEquals("blue-green", d.get("strategy").asText());
        List<String> steps = new ArrayList<>();
        d.get("steps").forEach(s -> {
            assertEquals("FORWARD", s.get("kind").asText(), s.toString());
            assertEquals("COMPLETED", s.get("status").asText(), s.toString());
            steps.add(s.get("name").asText());
        });
        assertEquals(List.of("validate", "lock", "backup-database", "apply-migrations", "deploy-green", "verify-green", "shift-traffic",
                "monitor", "promote-green", "release-lock"), steps);

        // Both components live in 1.2.3, each answering on its own nginx front with the release's version.
        JsonNode env = get("/projects/acme-shop/environments/staging", token);
        Map<String, String> fronts = new TreeMap<>();
        for (JsonNode live : env.get("live")) {
            assertEquals("1.2.3", live.get("version").asText(), live.toString());
            assertEquals(requested.group(1), live.get("deploymentId").asText(), live.toString());
            fronts.put(live.get("component").asText(), live.get("front").asText());
        }
        assertEquals(List.of("api", "web"), List.copyOf(fronts.keySet()), env.toString());
        assertRelease(fronts.get("web") + "/api/health", "{\"status\":\"ok\"}");
        assertRelease(fronts.get("web") + "/", "acme");
        assertRelease(fronts.get("api") + "/orders", "[]");
    }

    /** What this test started is stopped: all of it with `./runway services down` when nothing ran before; never the stack. */
    @AfterAll
    static void stopWhatThisTestStarted() throws Exception {
        if (runningBefore.isEmpty()) {
            run(ROOT.resolve("runway").toString(), "services", "down");
            assertEquals(Map.of(), alive(), "services left running by ./runway services down");
            return;
        }
        for (Map.Entry<String, Long> e : alive().entrySet()) {
            if (!e.getValue().equals(runningBefore.get(e.getKey()))) {
                ProcessHandle.of(e.getValue()).ifPresent(h -> {
                    h.destroy();
                    h.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(t -> {
                        h.destroyForcibly();
                        return h;
                    }).join();
                });
                Files.deleteIfExists(STATE.resolve("pids/" + e.getKey() + ".pid"));
            }
        }
    }

    /** A 200 through nginx from the 1.2.3 release (its X-Release-Version), whose body contains {@code text}. */
    static void assertRelease(String url, String text) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url + ": " + r.body());
        assertEquals("1.2.3", r.headers().firstValue("x-release-version").orElse(null), url);
        assertTrue(r.body().toLowerCase().contains(text), url + ": " + r.body());
    }

    /** The fenced ```bash block that contains {@code marker} at the start of a line. */
    static String block(String markdown, String marker) {
        String[] parts = markdown.split("```");
        for (int i = 1; i < parts.length; i += 2) {
            if (parts[i].startsWith("bash\n") && parts[i].contains("\n" + marker)) {
                return parts[i].substring("bash\n".length());
            }
        }
        throw new AssertionError("no bash block with " + marker + " in the README");
    }

    static JsonNode get(String path, String token) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(API + path)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), String.join(" ", command));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
        return out;
    }

    private static Map<String, Long> alive() throws IOException {
        Map<String, Long> alive = new TreeMap<>();
        for (String svc : SERVICES) {
            Path pid = STATE.resolve("pids/" + svc + ".pid");
            if (Files.isRegularFile(pid)) {
                long id = Long.parseLong(Files.readString(pid).strip());
                if (ProcessHandle.of(id).map(ProcessHandle::isAlive).orElse(false)) {
                    alive.put(svc, id);
                }
            }
        }
        return alive;
    }
}

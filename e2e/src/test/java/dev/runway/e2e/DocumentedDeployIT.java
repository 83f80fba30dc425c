package dev.runway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deployment example of cli/README.md, run exactly as written: the fenced bash block that holds
 * {@code ./runway deploy}, executed by bash from the repository root (issue 16: a newcomer's first
 * deployment must work as documented). Services this test started are stopped again by their pids.
 */
class DocumentedDeployIT {

    static final Path ROOT = DemoEndToEndIT.ROOT;
    static final Path STATE = Path.of(System.getenv().getOrDefault("RUNWAY_STATE", ROOT.resolve(".runway").toString()));
    static final List<String> SERVICES = List.of("validator-service", "executor-service", "health-watcher-service", "notifier-service",
            "orchestrator-service");
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
    void theReadmesDeployExampleSucceedsAsWritten() throws Exception {
        String block = block(Files.readString(ROOT.resolve("cli/README.md")), "./runway deploy ");
        Path script = Files.createTempFile("documented-deploy", ".sh");
        Files.writeString(script, "set -euo pipefail\n" + block);
        Process p = new ProcessBuilder("bash", script.toString()).directory(ROOT.toFile()).redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            // A deployment that never ends must not hold the machine: the CLI and the script are stopped.
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError("the documented block did not end in 15 minutes:\n" + output.getNow("(no output)"));
        }
        String out = output.get(1, TimeUnit.MINUTES);
        assertEquals(0, p.exitValue(), "the documented block failed:\n" + out);
        assertTrue(out.contains("is not the top of its own git repository: sent as snapshot"), out);
        assertTrue(out.contains("SUCCEEDED"), out);
        assertFalse(out.contains("names no repository"), out);
        assertTrue(Files.isDirectory(STATE.resolve("snapshots/acme-shop.git")), "the snapshot repository");
    }

    /** Services that were not running before are stopped, with the host slots and nginx their executor started. */
    @AfterAll
    static void stopWhatThisTestStarted() throws Exception {
        for (Map.Entry<String, Long> e : alive().entrySet()) {
            if (!e.getValue().equals(runningBefore.get(e.getKey()))) {
                stop(e.getValue());
                Files.deleteIfExists(STATE.resolve("pids/" + e.getKey() + ".pid"));
            }
        }
        if (!runningBefore.containsKey("executor-service")) {
            Path executorPids = STATE.resolve("executor/pids");
            List<Path> pids = new ArrayList<>();
            if (Files.isDirectory(executorPids)) {
                try (var files = Files.list(executorPids)) {
                    files.filter(f -> f.toString().endsWith(".pid")).forEach(pids::add);
                }
            }
            pids.add(STATE.resolve("executor/nginx/nginx.pid"));
            for (Path f : pids) {
                if (Files.isRegularFile(f)) {
                    stop(Long.parseLong(Files.readString(f).strip()));
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** The fenced ```bash block that contains {@code marker}. */
    static String block(String markdown, String marker) {
        String[] parts = markdown.split("```");
        for (int i = 1; i < parts.length; i += 2) {
            if (parts[i].startsWith("bash\n") && parts[i].contains("\n" + marker)) {
                return parts[i].substring("bash\n".length());
            }
        }
        throw new AssertionError("no bash block with " + marker + " in the README");
    }

    private static Map<String, Long> alive() throws Exception {
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

    private static void stop(long pid) {
        ProcessHandle.of(pid).ifPresent(h -> {
            h.destroy();
            try {
                h.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        });
    }
}

package dev.runway.executor.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.runway.executor.commands.StepFailure;
import dev.runway.executor.os.Exec;

/**
 * Runway's own nginx (the Debian binary with a prefix and config in the state dir, never the
 * system instance). A change is written beside the live config, checked with {@code nginx -t},
 * moved over it atomically and applied with a reload: a bad config never reaches the running nginx.
 */
public class Nginx {

    private final String binary;
    private final Path prefix;

    public Nginx(String binary, Path prefix) {
        this.binary = binary;
        this.prefix = prefix;
    }

    public Path config() {
        return prefix.resolve("nginx.conf");
    }

    public Path pidFile() {
        return prefix.resolve("nginx.pid");
    }

    /**
     * One upstream and one {@code server} per project environment and component that has a slot
     * receiving traffic: each project environment listens on its own front port.
     */
    static String servers(List<SlotState> states) {
        StringBuilder out = new StringBuilder();
        for (SlotState state : states) {
            if (state.weights().isEmpty()) {
                continue;
            }
            out.append("    # ").append(state.project).append(" in ").append(state.environment).append(": ").append(state.component).append('\n');
            out.append("    ").append(upstream(state)).append('\n');
            out.append("    server { listen 127.0.0.1:").append(state.front).append("; location / { proxy_pass http://")
                    .append(upstreamName(state)).append("; proxy_set_header Host $host; proxy_next_upstream error timeout; } }\n");
        }
        return out.toString();
    }

    static String upstream(SlotState state) {
        var weights = state.weights();
        if (weights.isEmpty()) {
            return "upstream " + upstreamName(state) + " removed (no slot receives traffic)";
        }
        StringBuilder u = new StringBuilder("upstream ").append(upstreamName(state)).append(" {");
        for (Map.Entry<String, Integer> w : weights.entrySet()) {
            u.append(" server 127.0.0.1:").append(state.port(w.getKey())).append(" weight=").append(w.getValue()).append(";");
        }
        return u.append(" }").toString();
    }

    /** {@code staging__demo_shop__web}: unique per project environment and component. */
    static String upstreamName(SlotState state) {
        return (state.environment + "__" + state.project + "__" + state.component).replaceAll("[^A-Za-z0-9_]", "_");
    }

    /** The http-level server blocks become a whole nginx.conf with every path inside the prefix. */
    public String render(String servers) {
        return """
                # Written by Runway's executor; changes are checked with nginx -t and applied by reload.
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 1024; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/tmp/client_body;
                    proxy_temp_path %1$s/tmp/proxy;
                    fastcgi_temp_path %1$s/tmp/fastcgi;
                    uwsgi_temp_path %1$s/tmp/uwsgi;
                    scgi_temp_path %1$s/tmp/scgi;
                %2$s}
                """.formatted(prefix, servers);
    }

    /** Check, swap in, then reload (or start when not running and something is to be served). */
    public synchronized void apply(String conf, boolean anyServer) throws IOException {
        Files.createDirectories(prefix.resolve("tmp"));
        Path next = prefix.resolve("nginx.conf.next");
        Files.writeString(next, conf);
        Exec.Result test = Exec.attempt(List.of(binary, "-t", "-q", "-p", prefix.toString(), "-c", next.toString()), Map.of(), Duration.ofSeconds(30));
        if (test.exitCode() != 0) {
            throw new StepFailure("NGINX_CONFIG_INVALID", "nginx -t rejected the new config (the running one is unchanged): " + test.output().strip(), false);
        }
        Files.move(next, config(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Optional<ProcessHandle> master = running();
        if (master.isPresent()) {
            List<ProcessHandle> oldWorkers = master.get().children().toList();
            Exec.run("NGINX_RELOAD_FAILED", List.of(binary, "-p", prefix.toString(), "-c", config().toString(), "-s", "reload"), Map.of(), Duration.ofSeconds(30));
            awaitGone(oldWorkers);
        } else if (anyServer) {
            Exec.run("NGINX_START_FAILED", List.of(binary, "-p", prefix.toString(), "-c", config().toString()), Map.of(), Duration.ofSeconds(30));
        }
    }

    /**
     * A reload is only done when the workers of the old config have exited: until then they may
     * still answer requests (keep-alive connections) with the old upstreams.
     */
    private static void awaitGone(List<ProcessHandle> oldWorkers) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (oldWorkers.stream().anyMatch(ProcessHandle::isAlive)) {
            if (System.nanoTime() > deadline) {
                throw new StepFailure("NGINX_RELOAD_SLOW", "old nginx workers still running 10 s after the reload", true);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public Optional<ProcessHandle> running() {
        try {
            if (!Files.exists(pidFile())) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(pidFile()).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public void stop() {
        running().ifPresent(p -> {
            Exec.attempt(List.of(binary, "-p", prefix.toString(), "-c", config().toString(), "-s", "quit"), Map.of(), Duration.ofSeconds(10));
            try {
                p.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        });
    }
}

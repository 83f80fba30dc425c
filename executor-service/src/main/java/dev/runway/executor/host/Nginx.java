package dev.runway.executor.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.runway.executor.commands.StepFailure;
import dev.runway.executor.os.Exec;

/**
 * Runway's own nginx (the Debian binary with a prefix and config in the state dir, never the
 * system instance). A change ({@link NginxConfig} renders it) is written beside the live config,
 * checked with {@code nginx -t}, moved over it atomically and applied with a reload: a bad config
 * never reaches the running nginx.
 */
public class Nginx {

    private final String binary;
    private final Path prefix;

    public Nginx(String binary, Path prefix) {
        this.binary = binary;
        this.prefix = prefix;
    }

    public Path prefix() {
        return prefix;
    }

    public Path config() {
        return prefix.resolve("nginx.conf");
    }

    public Path pidFile() {
        return prefix.resolve("nginx.pid");
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
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        });
    }
}

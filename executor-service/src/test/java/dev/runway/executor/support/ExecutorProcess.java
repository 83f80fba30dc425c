package dev.runway.executor.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.core.ConditionTimeoutException;

import dev.runway.testsupport.Backbone;

/** The packaged executor (target/quarkus-app) as its own OS process, configured like `./runway up` does. */
public final class ExecutorProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private ExecutorProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static ExecutorProcess start(Path state, Path log, Map<String, String> overrides) throws Exception {
        return start(state, log, overrides, Map.of());
    }

    /** With {@code environment} added to the variables `./runway up` gives it (an operator's, e.g. client credentials). */
    public static ExecutorProcess start(Path state, Path log, Map<String, String> overrides, Map<String, String> environment) throws Exception {
        Backbone b = Backbone.get();
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run through `mvn verify` (package builds it)");
        }
        int port = freePort();
        Map<String, String> settings = new HashMap<>(ExecutorSettings.forTests(b, state));
        settings.putAll(overrides);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.putAll(b.kafkaServiceEnv("executor"));
        env.put("REGISTRY_URL", b.registryApiV3());
        env.put("DB_URL", b.reactivePgUrl(ExecutorTestResource.DATABASE));
        env.put("DB_JDBC_URL", b.jdbcPgUrl(ExecutorTestResource.DATABASE));
        env.put("DB_USERNAME", b.pgUser());
        env.put("DB_PASSWORD", b.pgPassword());
        // The packaged service runs the prod profile, which refuses the development key unless told this is a test.
        env.put("JWT_PUBLIC_KEY_LOCATION", Path.of("..", "dev-keys", "publicKey.pem").toAbsolutePath().normalize().toString());
        env.put("RUNWAY_SECURITY_ALLOW_DEVELOPMENT_KEY", "true");
        env.putAll(environment);
        ExecutorProcess executor = new ExecutorProcess(builder.start(), port);
        executor.awaitReady(log);
        return executor;
    }

    private void awaitReady(Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try {
            await("executor ready").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("executor exited with " + process.exitValue() + ": " + Files.readString(log));
                }
                try {
                    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                } catch (IOException e) {
                    return false; // not listening yet
                }
            });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("executor not ready within 90 s: " + Files.readString(log), e);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no chance to finish anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

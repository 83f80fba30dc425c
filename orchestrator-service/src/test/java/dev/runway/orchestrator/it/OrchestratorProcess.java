package dev.runway.orchestrator.it;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.core.ConditionTimeoutException;

import dev.runway.events.Topics;
import dev.runway.orchestrator.support.Waits;
import dev.runway.testsupport.Backbone;
import dev.runway.testsupport.Tokens;
import io.restassured.http.ContentType;

/**
 * The packaged orchestrator ({@code target/quarkus-app/quarkus-run.jar}) as a child process in the
 * prod profile, configured the way an operator would: env vars for the backbone, {@code -D} for
 * what isolates this run from other runs sharing the backbone (Redis key prefix, consumer group,
 * its own database). The settings are fixed at construction, so every {@link #start()} is a
 * restart of the same installation.
 */
final class OrchestratorProcess implements AutoCloseable {

    /** Channels the orchestrator consumes; their group is this run's, and stable across restarts. */
    static final List<String> INCOMING = List.of(Topics.VALIDATION_RESULTS, Topics.EXECUTOR_RESULTS, Topics.HEALTH_DECISIONS);

    private static final Duration READY_WITHIN = Duration.ofSeconds(120);

    private final String name;
    private final Backbone backbone;
    private final String database;
    private final String group;
    private final String keyPrefix;
    private final Duration lease;
    private final int port;
    private final Path logDir;
    private final List<Path> logs = new ArrayList<>();
    private Process process;

    OrchestratorProcess(String name, String run, Duration lease) {
        this.name = name;
        this.backbone = Backbone.get();
        this.database = "runway_orchestrator_it_" + run;
        this.group = "orchestrator-it-" + run;
        this.keyPrefix = "runway-it-" + run;
        this.lease = lease;
        this.port = freePort();
        this.logDir = Path.of(System.getProperty("runway.it.log-dir", "target/orchestrator-it"));
    }

    /** POSTs a staging deployment of version 1.4.2 as a deployer; returns its id. */
    String post(String project, String manifest) {
        Map<String, Object> body = new HashMap<>();
        body.put("project", project);
        body.put("version", "1.4.2");
        body.put("environment", "staging");
        body.put("manifest", manifest);
        return given().baseUri(baseUrl()).header("Authorization", Tokens.bearer("dana", "deployer")).contentType(ContentType.JSON)
                .body(body).when().post("/deployments")
                .then().statusCode(202).extract().path("id");
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    String database() {
        return database;
    }

    String jdbcUrl() {
        return backbone.jdbcPgUrl(database);
    }

    String keyPrefix() {
        return keyPrefix;
    }

    Duration lease() {
        return lease;
    }

    /**
     * A fresh database for this run: the shared runway_orchestrator_test is Flyway-cleaned by
     * every @QuarkusTest start, and another orchestrator on it would move (and re-lock) our saga.
     */
    void createDatabase() {
        PgAdmin.execute(backbone, "create database " + database);
    }

    void dropDatabase() {
        PgAdmin.execute(backbone, "drop database if exists " + database + " with (force)");
    }

    /**
     * Commits this run's group at the current end of the reply topics before the service ever
     * runs, so a reply produced while it is down is read after the restart whatever the
     * {@code auto.offset.reset} (a brand-new group would otherwise start at "latest" and skip it).
     */
    void commitGroupAtEnd() {
        Properties props = new Properties();
        props.putAll(backbone.kafkaAdmin());
        try (Admin admin = Admin.create(props)) {
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            admin.describeTopics(INCOMING).allTopicNames().get().forEach((topic, description) -> description.partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> offsets.put(tp, new OffsetAndMetadata(info.offset())));
            admin.alterConsumerGroupOffsets(group, offsets).all().get();
        } catch (Exception e) {
            throw new IllegalStateException("could not commit group " + group + " at the end of " + INCOMING, e);
        }
    }

    /** Starts the jar with the base settings plus {@code extra} {@code -D} properties (may be empty). */
    void start(Map<String, String> extra) {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        Path jar = Path.of(System.getProperty("runway.it.jar", "target/quarkus-app/quarkus-run.jar")).toAbsolutePath();
        Path publicKey = Path.of(System.getProperty("runway.it.public-key", "../dev-keys/publicKey.pem"))
                .toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the IT through `mvn verify` (package comes first)");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx384m");
        // Start fast on a busy CI machine; the process only has to live for one saga.
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        Map<String, String> props = new LinkedHashMap<>();
        props.put("runway.lock.key-prefix", keyPrefix);
        props.put("runway.lock.lease", lease.toMillis() + "ms");
        for (String channel : INCOMING) {
            String prefix = "mp.messaging.incoming.\"" + channel + "\".";
            props.put(prefix + "group.id", group);
            // The killed instance's consumers stay in the group until their session times out:
            // keep that short so the restarted instance gets the partitions quickly.
            props.put(prefix + "session.timeout.ms", "6000");
            props.put(prefix + "heartbeat.interval.ms", "1000");
        }
        props.putAll(extra);
        props.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar.toString());

        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.putAll(backbone.kafkaServiceEnv("orchestrator"));
        env.put("REGISTRY_URL", backbone.registryApiV3());
        env.put("DB_URL", backbone.reactivePgUrl(database));
        env.put("DB_JDBC_URL", backbone.jdbcPgUrl(database));
        env.put("DB_USERNAME", backbone.pgUser());
        env.put("DB_PASSWORD", backbone.pgPassword());
        env.put("REDIS_URL", backbone.redisUrl());
        env.put("JWT_PUBLIC_KEY_LOCATION", publicKey.toString());
        // The packaged service runs the prod profile, which refuses the development key unless told this is a test.
        env.put("RUNWAY_SECURITY_ALLOW_DEVELOPMENT_KEY", "true");
        env.remove("QUARKUS_PROFILE");
        Path log = logDir.resolve(name + "-run" + (logs.size() + 1) + ".log");
        try {
            Files.createDirectories(logDir);
            builder.redirectErrorStream(true).redirectOutput(log.toFile());
            logs.add(log);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitReady();
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready")).timeout(Duration.ofSeconds(5)).build();
        AtomicReference<String> last = new AtomicReference<>("no answer");
        try {
            Waits.await("the orchestrator being ready").atMost(READY_WITHIN).pollInterval(Duration.ofMillis(250))
                    .until(() -> ready(http, ready, last));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("orchestrator not ready within " + READY_WITHIN + ": " + last.get() + "\n" + tails(), e);
        }
    }

    /** One readiness probe; a process that died fails at once. */
    private boolean ready(HttpClient http, HttpRequest ready, AtomicReference<String> last) throws InterruptedException {
        if (!process.isAlive()) {
            throw new AssertionError("orchestrator exited with " + process.exitValue() + " before it was ready\n" + tails());
        }
        try {
            HttpResponse<String> response = http.send(ready, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return true;
            }
            last.set(response.statusCode() + " " + response.body());
        } catch (IOException e) {
            last.set(e.toString());
        }
        return false;
    }

    /** SIGKILL: no shutdown hook, no graceful close of consumers, producers or transactions. */
    void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("orchestrator did not die");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** The last lines of every run's output, for a failure message. */
    String tails() {
        StringBuilder out = new StringBuilder();
        for (Path log : logs) {
            out.append("---- tail of ").append(log.toAbsolutePath()).append(" ----\n");
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                lines.subList(Math.max(0, lines.size() - 60), lines.size()).forEach(l -> out.append(l).append('\n'));
            } catch (IOException e) {
                out.append(e).append('\n');
            }
        }
        return out.toString();
    }

    /** Whether any run logged {@code text}. */
    boolean logged(String text) {
        for (Path log : logs) {
            try {
                if (Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
                    return true;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return false;
    }

    @Override
    public void close() {
        kill();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

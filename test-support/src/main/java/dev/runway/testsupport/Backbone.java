package dev.runway.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the real backing services of a test run are: Kafka, Apicurio Registry, PostgreSQL, Redis.
 *
 * <p>{@code RUNWAY_BACKBONE} chooses: {@code stack} uses what {@code ./runway stack up} started (the
 * default without a Docker engine), {@code containers} starts them with Testcontainers (the
 * default where a Docker engine answers). Stack endpoints can be moved with
 * {@code RUNWAY_KAFKA_BOOTSTRAP}, {@code RUNWAY_REGISTRY_URL}, {@code RUNWAY_PG_HOST},
 * {@code RUNWAY_PG_PORT}, {@code RUNWAY_PG_USER}, {@code RUNWAY_PG_PASSWORD}, {@code RUNWAY_REDIS_URL}.
 */
public record Backbone(String source, String kafkaBootstrap, String registryUrl, String pgHost, int pgPort,
        String pgUser, String pgPassword, String redisUrl) {

    private static Backbone current;

    /** The backbone of this JVM, found (or started) once. */
    public static synchronized Backbone get() {
        if (current == null) {
            String choice = setting("RUNWAY_BACKBONE", "auto");
            boolean containers = switch (choice) {
                case "containers" -> true;
                case "stack" -> false;
                default -> dockerEngineLikely() && ContainersBackbone.dockerAvailable();
            };
            current = containers ? ContainersBackbone.start() : stack();
            RegistryClient.of(current).ensureGlobalBackwardRule();
        }
        return current;
    }

    /** Apicurio's v3 REST API, as the serde wants it. */
    public String registryApiV3() {
        return registryUrl + "/apis/registry/v3";
    }

    public String reactivePgUrl(String database) {
        return "postgresql://" + pgHost + ":" + pgPort + "/" + database;
    }

    public String jdbcPgUrl(String database) {
        return "jdbc:postgresql://" + pgHost + ":" + pgPort + "/" + database;
    }

    private static Backbone stack() {
        Backbone b = new Backbone("stack",
                setting("RUNWAY_KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
                setting("RUNWAY_REGISTRY_URL", "http://127.0.0.1:8090"),
                setting("RUNWAY_PG_HOST", "127.0.0.1"),
                Integer.parseInt(setting("RUNWAY_PG_PORT", "5432")),
                setting("RUNWAY_PG_USER", "runway"),
                setting("RUNWAY_PG_PASSWORD", "runway"),
                setting("RUNWAY_REDIS_URL", "redis://127.0.0.1:6379"));
        String[] kafka = b.kafkaBootstrap.split(",")[0].split(":");
        URI registry = URI.create(b.registryUrl);
        URI redis = URI.create(b.redisUrl);
        requireListening("Kafka", kafka[0], Integer.parseInt(kafka[1]));
        requireListening("Apicurio Registry", registry.getHost(), registry.getPort());
        requireListening("PostgreSQL", b.pgHost, b.pgPort);
        requireListening("Redis", redis.getHost(), redis.getPort());
        return b;
    }

    private static void requireListening(String what, String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2_000);
        } catch (IOException e) {
            throw new IllegalStateException(what + " is not listening on " + host + ":" + port
                    + ". Start the backing services with `./runway stack up` (or run the tests with"
                    + " `./runway test`), or set RUNWAY_BACKBONE=containers where a Docker engine runs.", e);
        }
    }

    /** Cheap look before asking Testcontainers, which logs loudly when no engine exists. */
    private static boolean dockerEngineLikely() {
        return System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"));
    }

    static String setting(String name, String fallback) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isBlank() ? fallback : value;
    }
}

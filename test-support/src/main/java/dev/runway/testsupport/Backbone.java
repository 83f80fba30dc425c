package dev.runway.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * Where the real backing services of a test run are: Kafka, Apicurio Registry, PostgreSQL, Redis.
 *
 * <p>{@code RUNWAY_BACKBONE} chooses: {@code stack} uses what {@code ./runway stack up} started (the
 * default without a Docker engine), {@code containers} starts them with Testcontainers (the
 * default where a Docker engine answers). Stack endpoints can be moved with
 * {@code RUNWAY_KAFKA_BOOTSTRAP}, {@code RUNWAY_REGISTRY_URL}, {@code RUNWAY_PG_HOST},
 * {@code RUNWAY_PG_PORT}, {@code RUNWAY_PG_USER}, {@code RUNWAY_PG_PASSWORD}, {@code RUNWAY_REDIS_URL}.
 *
 * <p>The stack's Kafka authenticates every client (SASL/SCRAM-SHA-512) and authorises it with ACLs: a client
 * takes the settings of a principal with {@link #kafkaClient(String)}, whose password {@code ./runway test}
 * passes as {@code RUNWAY_KAFKA_PASSWORD_<PRINCIPAL>} (e.g. {@code RUNWAY_KAFKA_PASSWORD_HEALTH_WATCHER}), or that
 * the script left in {@code .runway/secrets}. {@code RUNWAY_REDIS_URL} carries the orchestrator's Redis user and password.
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

    /** The super user of the stack's own tooling and of tests that play no particular service. */
    public static final String ADMIN = "admin";

    /**
     * Bootstrap servers and SASL settings of a Kafka client acting as {@code principal} ({@link #ADMIN},
     * {@code orchestrator}, {@code validator}, {@code executor}, {@code health-watcher}, {@code notifier},
     * {@code runway-subscriber}): put them into a producer's, consumer's or admin client's properties.
     */
    public Map<String, Object> kafkaClient(String principal) {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        if (kafkaSecured()) {
            config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
            config.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
            config.put(SaslConfigs.SASL_JAAS_CONFIG, scramJaas(principal, kafkaPassword(principal)));
        }
        return config;
    }

    /**
     * The Kafka variables of a service started as a process (prod profile, DEPLOYMENT.md §5):
     * KAFKA_BOOTSTRAP_SERVERS, KAFKA_USERNAME, KAFKA_PASSWORD.
     */
    public Map<String, String> kafkaServiceEnv(String principal) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap);
        if (kafkaSecured()) {
            env.put("KAFKA_USERNAME", principal);
            env.put("KAFKA_PASSWORD", kafkaPassword(principal));
        } else {
            env.put("KAFKA_USERNAME", "unused");
            env.put("KAFKA_PASSWORD", "unused");
            env.put("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT");
        }
        return env;
    }

    /** {@link #kafkaClient(String)} as the admin principal. */
    public Map<String, Object> kafkaAdmin() {
        return kafkaClient(ADMIN);
    }

    /** The containers backbone runs Kafka without SASL; the stack's always authenticates. */
    public boolean kafkaSecured() {
        return "stack".equals(source);
    }

    /**
     * The password {@code ./runway test} passed for a principal, or else the one {@code ./runway stack up} generated
     * ({@code $RUNWAY_STATE/secrets}, or {@code .runway/secrets} of the checkout the tests run in), so that
     * {@code ./mvnw verify} with the stack up works too.
     */
    public static String kafkaPassword(String principal) {
        String name = "RUNWAY_KAFKA_PASSWORD_" + principal.toUpperCase(Locale.ROOT).replace('-', '_');
        String password = setting(name, stackSecret("kafka-" + principal));
        if (password == null) {
            throw new IllegalStateException(name + " is not set and no .runway/secrets/kafka-" + principal + " was found: the"
                    + " stack's Kafka needs the password of principal '" + principal + "'. Run the tests with `./runway test`.");
        }
        return password;
    }

    /** A password the stack script generated, or null. */
    static String stackSecret(String file) {
        String state = setting("RUNWAY_STATE", null);
        List<Path> candidates = new ArrayList<>();
        if (state != null) {
            candidates.add(Path.of(state, "secrets", file));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("runway"))) {
                candidates.add(dir.resolve(".runway").resolve("secrets").resolve(file));
                break;
            }
        }
        for (Path candidate : candidates) {
            try {
                if (Files.isReadable(candidate)) {
                    return Files.readString(candidate).strip();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return null;
    }

    public static String scramJaas(String username, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + username
                + "\" password=\"" + password + "\";";
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
                setting("RUNWAY_REDIS_URL", stackRedisUrl()));
        String[] kafka = b.kafkaBootstrap.split(",")[0].split(":");
        URI registry = URI.create(b.registryUrl);
        URI redis = URI.create(b.redisUrl);
        requireListening("Kafka", kafka[0], Integer.parseInt(kafka[1]));
        requireListening("Apicurio Registry", registry.getHost(), registry.getPort());
        requireListening("PostgreSQL", b.pgHost, b.pgPort);
        requireListening("Redis", redis.getHost(), redis.getPort());
        return b;
    }

    /** The stack's Redis as the orchestrator's user, when the script's secret is at hand. */
    private static String stackRedisUrl() {
        String password = stackSecret("redis-orchestrator");
        return password == null ? "redis://127.0.0.1:6379" : "redis://orchestrator:" + password + "@127.0.0.1:6379";
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

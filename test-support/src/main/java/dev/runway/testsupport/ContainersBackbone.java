package dev.runway.testsupport;

import java.util.List;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The backbone in containers, for machines with a Docker engine. The images match what
 * {@code ./runway stack up} runs: Kafka 4.1 (KRaft), Apicurio Registry 3.3.3 on Postgres,
 * PostgreSQL 16, Redis 7. Containers live for the JVM (Ryuk removes them afterwards).
 */
final class ContainersBackbone {

    /** Every database the services and their tests use; the stack script creates the same list. */
    static final List<String> DATABASES = List.of(
            "runway_registry",
            "runway_orchestrator", "runway_orchestrator_test",
            "runway_validator", "runway_validator_test",
            "runway_executor", "runway_executor_test",
            "runway_health", "runway_health_test",
            "runway_notifier", "runway_notifier_test");

    private ContainersBackbone() {
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    @SuppressWarnings("resource") // lives for the JVM on purpose
    static Backbone start() {
        Network network = Network.newNetwork();
        PostgreSQLContainer postgres = new PostgreSQLContainer(DockerImageName.parse("postgres:16-alpine"))
                .withNetwork(network).withNetworkAliases("postgres")
                .withUsername("runway").withPassword("runway").withDatabaseName("runway");
        KafkaContainer kafka = new KafkaContainer(DockerImageName.parse("apache/kafka:4.1.1"));
        GenericContainer<?> redis = new GenericContainer<>(DockerImageName.parse("redis:7-alpine"))
                .withExposedPorts(6379);
        postgres.start();
        for (String db : DATABASES) {
            exec(postgres, "CREATE DATABASE " + db);
        }
        GenericContainer<?> registry = new GenericContainer<>(DockerImageName.parse("apicurio/apicurio-registry:3.3.3"))
                .withNetwork(network)
                .withEnv("APICURIO_STORAGE_KIND", "sql")
                .withEnv("APICURIO_STORAGE_SQL_KIND", "postgresql")
                .withEnv("APICURIO_DATASOURCE_URL", "jdbc:postgresql://postgres:5432/runway_registry")
                .withEnv("APICURIO_DATASOURCE_USERNAME", "runway")
                .withEnv("APICURIO_DATASOURCE_PASSWORD", "runway")
                .withExposedPorts(8080)
                .waitingFor(Wait.forHttp("/apis/registry/v3/system/info").forPort(8080));
        kafka.start();
        redis.start();
        registry.start();
        return new Backbone("containers", kafka.getBootstrapServers(),
                "http://" + registry.getHost() + ":" + registry.getMappedPort(8080),
                postgres.getHost(), postgres.getMappedPort(5432), "runway", "runway",
                "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379));
    }

    private static void exec(PostgreSQLContainer postgres, String sql) {
        try {
            var result = postgres.execInContainer("psql", "-U", "runway", "-d", "runway", "-c", sql);
            if (result.getExitCode() != 0) {
                throw new IllegalStateException(sql + " failed: " + result.getStderr());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

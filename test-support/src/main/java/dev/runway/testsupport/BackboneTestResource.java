package dev.runway.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a {@code @QuarkusTest} at the real backbone. Use it with
 * {@code @QuarkusTestResource(value = BackboneTestResource.class, initArgs = {...})}:
 * <ul>
 * <li>{@code database}: the service's test database (e.g. {@code runway_orchestrator_test}); none if absent;</li>
 * <li>{@code jdbc}: {@code true} when the service also has a JDBC datasource (Flyway);</li>
 * <li>{@code redis}: {@code true} when the service uses Redis.</li>
 * </ul>
 * The service talks to Kafka as its own principal (its {@code quarkus.application.name} without {@code -service}),
 * so its tests run under the ACLs it has in production.
 */
public class BackboneTestResource implements QuarkusTestResourceLifecycleManager {

    private Map<String, String> args = Map.of();

    @Override
    public void init(Map<String, String> initArgs) {
        this.args = initArgs;
    }

    @Override
    public Map<String, String> start() {
        Backbone backbone = Backbone.get();
        Map<String, String> config = new HashMap<>();
        backbone.kafkaClient(kafkaPrincipal()).forEach((key, value) -> config.put("kafka." + key, String.valueOf(value)));
        if (!backbone.kafkaSecured()) {
            // application.properties asks for SASL; the containers' Kafka does not speak it.
            config.put("kafka.security.protocol", "PLAINTEXT");
            config.put("kafka.sasl.jaas.config", Backbone.scramJaas("unused", "unused"));
        }
        config.put("mp.messaging.connector.smallrye-kafka.apicurio.registry.url", backbone.registryApiV3());
        String database = args.get("database");
        if (database != null) {
            config.put("quarkus.datasource.reactive.url", backbone.reactivePgUrl(database));
            config.put("quarkus.datasource.username", backbone.pgUser());
            config.put("quarkus.datasource.password", backbone.pgPassword());
            if (Boolean.parseBoolean(args.get("jdbc"))) {
                config.put("quarkus.datasource.jdbc.url", backbone.jdbcPgUrl(database));
            }
        }
        if (Boolean.parseBoolean(args.get("redis"))) {
            config.put("quarkus.redis.hosts", backbone.redisUrl());
        }
        return config;
    }

    /** The principal of the service under test, from its application.properties (e.g. orchestrator-service -> orchestrator). */
    static String kafkaPrincipal() {
        Properties properties = new Properties();
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream("application.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String name = properties.getProperty("quarkus.application.name");
        if (name == null) {
            throw new IllegalStateException("no quarkus.application.name in application.properties: cannot tell the service's Kafka principal");
        }
        return name.replaceFirst("-service$", "");
    }

    @Override
    public void stop() {
        // The backbone outlives one test class: the stack belongs to the script, containers to the JVM.
    }
}

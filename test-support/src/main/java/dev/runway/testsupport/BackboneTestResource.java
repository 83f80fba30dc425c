package dev.runway.testsupport;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a {@code @QuarkusTest} at the real backbone. Use it with
 * {@code @QuarkusTestResource(value = BackboneTestResource.class, initArgs = {...})}:
 * <ul>
 * <li>{@code database}: the service's test database (e.g. {@code runway_orchestrator_test}); none if absent;</li>
 * <li>{@code jdbc}: {@code true} when the service also has a JDBC datasource (Flyway);</li>
 * <li>{@code redis}: {@code true} when the service uses Redis.</li>
 * </ul>
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
        config.put("kafka.bootstrap.servers", backbone.kafkaBootstrap());
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

    @Override
    public void stop() {
        // The backbone outlives one test class: the stack belongs to the script, containers to the JVM.
    }
}

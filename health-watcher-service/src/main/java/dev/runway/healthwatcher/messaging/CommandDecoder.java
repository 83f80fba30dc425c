package dev.runway.healthwatcher.messaging;

import java.util.HashMap;
import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.runway.events.Topics;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;

/**
 * Decodes {@value Topics#HEALTH_COMMANDS} records with the Apicurio Avro serde. The channel itself
 * reads raw bytes so that a record that cannot be decoded still reaches the dead-letter topic exactly
 * as it came, with the reason beside it, instead of being dropped by the connector.
 */
@ApplicationScoped
public class CommandDecoder {

    private final AvroKafkaDeserializer<Object> deserializer = new AvroKafkaDeserializer<>();

    public CommandDecoder(@ConfigProperty(name = "mp.messaging.connector.smallrye-kafka.apicurio.registry.url") String registryUrl) {
        Map<String, Object> config = new HashMap<>();
        config.put("apicurio.registry.url", registryUrl);
        config.put("apicurio.registry.use-specific-avro-reader", "true");
        config.put("apicurio.registry.artifact-resolver-strategy", "io.apicurio.registry.serde.avro.strategy.TopicRecordIdStrategy");
        deserializer.configure(config, false);
    }

    /** The command, or an exception saying why it is not one. */
    public SpecificRecord decode(byte[] payload) {
        if (payload == null || payload.length == 0) {
            throw new IllegalArgumentException("empty payload");
        }
        Object value = deserializer.deserialize(Topics.HEALTH_COMMANDS, payload);
        if (!(value instanceof SpecificRecord record)) {
            throw new IllegalArgumentException("not a Runway record: " + (value == null ? "null" : value.getClass().getName()));
        }
        return record;
    }

    @PreDestroy
    void close() {
        deserializer.close();
    }
}

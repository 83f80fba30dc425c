package dev.runway.orchestrator.messaging;

import java.util.HashMap;
import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;

/**
 * Decodes the registry-framed Avro of inbound records. Channels receive raw bytes and decode here,
 * so that a record that cannot be decoded is dead-lettered byte for byte instead of being lost.
 */
@ApplicationScoped
public class RecordDecoder {

    private final AvroKafkaDeserializer<Object> deserializer = new AvroKafkaDeserializer<>();

    public RecordDecoder(@ConfigProperty(name = "mp.messaging.connector.smallrye-kafka.apicurio.registry.url") String registryUrl) {
        Map<String, Object> config = new HashMap<>();
        config.put("apicurio.registry.url", registryUrl);
        config.put("apicurio.registry.use-specific-avro-reader", "true");
        deserializer.configure(config, false);
    }

    /** The record, or an exception saying why it is not one of Runway's. */
    public SpecificRecord decode(String topic, Headers headers, byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("record has no value (tombstone)");
        }
        Object decoded = deserializer.deserialize(topic, headers, value);
        if (!(decoded instanceof SpecificRecord record)) {
            throw new IllegalArgumentException("not a Runway record: " + (decoded == null ? "null" : decoded.getClass().getName()));
        }
        return record;
    }

    @PreDestroy
    void close() {
        deserializer.close();
    }
}

package dev.runway.healthwatcher.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.runway.testsupport.AvroKafka;
import dev.runway.testsupport.Backbone;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;

/** A plain consumer at the end of a topic, reading Avro records as any outside subscriber does. */
public final class Kafka {

    private Kafka() {
    }

    public record Got<T>(ConsumerRecord<String, Object> kafkaRecord, T value) {
    }

    public static KafkaConsumer<String, Object> consumerAtEnd(String topic) {
        Properties props = new Properties();
        props.putAll(AvroKafka.serdeConfig(Backbone.get()));
        props.put("apicurio.registry.use-specific-avro-reader", "false");
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Backbone.get().kafkaBootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "hw-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroKafkaDeserializer.class.getName());
        KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(topic));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100));
        }
        consumer.seekToEnd(consumer.assignment());
        consumer.assignment().forEach(consumer::position);
        return consumer;
    }

    /** Polls until a record of {@code type} matches; fails with what was seen instead. */
    public static <T extends SpecificRecord> Got<T> await(KafkaConsumer<String, Object> consumer, Class<T> type, Predicate<T> match,
            Duration timeout) {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, Object> r : consumer.poll(Duration.ofMillis(100))) {
                if (r.value() instanceof GenericRecord g) {
                    if (g.getSchema().getFullName().equals(type.getName())) {
                        T value = AvroKafka.toSpecific(g, type);
                        if (match.test(value)) {
                            return new Got<>(r, value);
                        }
                    }
                    seen.add(r.key() + "=" + g.getSchema().getName());
                }
            }
        }
        throw new AssertionError("no matching " + type.getSimpleName() + " within " + timeout + "; saw " + seen.size() + " others");
    }
}

package dev.runway.healthwatcher.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;

import dev.runway.testsupport.AvroKafka;
import dev.runway.testsupport.Backbone;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;

/** A plain consumer at the end of a topic, reading Avro records as any outside subscriber does. */
public final class Kafka {

    private Kafka() {
    }

    public record Got<T>(ConsumerRecord<String, Object> kafkaRecord, T value) {
    }

    /**
     * Awaitility for a condition that polls a consumer: evaluated on the test's own thread (a KafkaConsumer
     * is not thread-safe), with barely a pause between evaluations since each poll already waits for records.
     */
    public static ConditionFactory polling(String alias, Duration atMost) {
        return Awaitility.await(alias).atMost(atMost).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1));
    }

    public static KafkaConsumer<String, Object> consumerAtEnd(String topic) {
        Properties props = new Properties();
        props.putAll(AvroKafka.serdeConfig(Backbone.get()));
        props.put("apicurio.registry.use-specific-avro-reader", "false");
        props.putAll(Backbone.get().kafkaAdmin());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "hw-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroKafkaDeserializer.class.getName());
        KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(topic));
        return atEnd(consumer);
    }

    /** Once the group has given the subscribed consumer its partitions: the consumer, positioned at their end. */
    public static <V> KafkaConsumer<String, V> atEnd(KafkaConsumer<String, V> consumer) {
        polling("partitions assigned to " + consumer.subscription(), Duration.ofSeconds(30)).until(() -> {
            consumer.poll(Duration.ofMillis(100));
            return !consumer.assignment().isEmpty();
        });
        consumer.seekToEnd(consumer.assignment());
        consumer.assignment().forEach(consumer::position);
        return consumer;
    }

    /** Polls until a record of {@code type} matches; fails with what was seen instead. */
    public static <T extends SpecificRecord> Got<T> await(KafkaConsumer<String, Object> consumer, Class<T> type, Predicate<T> match,
            Duration timeout) {
        List<String> seen = new ArrayList<>();
        try {
            return polling("a matching " + type.getSimpleName(), timeout)
                    .until(() -> next(consumer, type, match, seen), Optional::isPresent).orElseThrow();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no matching " + type.getSimpleName() + " within " + timeout + "; saw " + seen.size() + " others");
        }
    }

    /** One poll: the first matching record in it, the others noted in {@code seen}. */
    private static <T extends SpecificRecord> Optional<Got<T>> next(KafkaConsumer<String, Object> consumer, Class<T> type,
            Predicate<T> match, List<String> seen) {
        for (ConsumerRecord<String, Object> r : consumer.poll(Duration.ofMillis(100))) {
            if (r.value() instanceof GenericRecord g) {
                if (g.getSchema().getFullName().equals(type.getName())) {
                    T value = AvroKafka.toSpecific(g, type);
                    if (match.test(value)) {
                        return Optional.of(new Got<>(r, value));
                    }
                }
                seen.add(r.key() + "=" + g.getSchema().getName());
            }
        }
        return Optional.empty();
    }
}

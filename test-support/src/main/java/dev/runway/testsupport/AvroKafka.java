package dev.runway.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;

/**
 * Plain Kafka clients with the same Apicurio serde settings the services use, so that a test
 * plays "the other service" (or an outside subscriber) on the real broker and registry. They
 * authenticate as the admin principal ({@link Backbone#kafkaAdmin()}), which the ACLs do not limit.
 */
public final class AvroKafka {

    private AvroKafka() {
    }

    /** Serde settings shared by services and tests; see schemas/README.md. */
    public static Map<String, Object> serdeConfig(Backbone backbone) {
        return Map.of(
                "apicurio.registry.url", backbone.registryApiV3(),
                "apicurio.registry.auto-register", "true",
                "apicurio.registry.artifact-resolver-strategy",
                "io.apicurio.registry.serde.avro.strategy.TopicRecordIdStrategy",
                "apicurio.registry.dereference-schema", "true",
                "apicurio.registry.use-specific-avro-reader", "true");
    }

    public static KafkaProducer<String, Object> producer(Backbone backbone) {
        Properties props = new Properties();
        props.putAll(serdeConfig(backbone));
        props.putAll(backbone.kafkaAdmin());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroKafkaSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props);
    }

    /**
     * A consumer in a fresh group that starts at the end of {@code topics}: it sees only what comes
     * next, as {@link GenericRecord}s (see {@link #toSpecific}).
     */
    public static KafkaConsumer<String, Object> consumerAtEnd(Backbone backbone, String... topics) {
        Properties props = new Properties();
        props.putAll(serdeConfig(backbone));
        props.put("apicurio.registry.use-specific-avro-reader", "false");
        props.putAll(backbone.kafkaAdmin());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroKafkaDeserializer.class.getName());
        KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(topics));
        // Join the group and take the partitions now, so nothing sent after this call is missed.
        try {
            Awaitility.await("a partition of " + List.of(topics) + " assigned").atMost(Duration.ofSeconds(30))
                    .pollInSameThread().pollInterval(Duration.ofMillis(1)).until(() -> {
                        consumer.poll(Duration.ofMillis(100));
                        return !consumer.assignment().isEmpty();
                    });
        } catch (ConditionTimeoutException e) {
            consumer.close();
            throw e;
        }
        consumer.seekToEnd(consumer.assignment());
        consumer.assignment().forEach(consumer::position);
        return consumer;
    }

    public static void send(KafkaProducer<String, Object> producer, String topic, String key, Object value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not send to " + topic, e);
        }
    }

    /** Polls until a record matches, or fails with what was seen instead. */
    public static ConsumerRecord<String, Object> await(KafkaConsumer<String, Object> consumer,
            Predicate<ConsumerRecord<String, Object>> match, Duration timeout) {
        List<String> seen = new ArrayList<>();
        AtomicReference<ConsumerRecord<String, Object>> found = new AtomicReference<>();
        try {
            Awaitility.await().atMost(timeout).pollInSameThread().pollInterval(Duration.ofMillis(1)).until(() -> {
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(200))) {
                    if (match.test(record)) {
                        found.set(record);
                        return true;
                    }
                    seen.add(record.key() + "=" + (record.value() instanceof GenericRecord g ? g.getSchema().getName() : record.value()));
                }
                return false;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no matching record within " + timeout + "; saw " + seen, e);
        }
        return found.get();
    }

    /** A record of {@code type} as decoded from the topic, with the Kafka record it came in. */
    public record Received<T extends SpecificRecord>(ConsumerRecord<String, Object> kafkaRecord, T value) {
    }

    /** Polls until a record of {@code type} matches {@code match}. */
    public static <T extends SpecificRecord> Received<T> await(KafkaConsumer<String, Object> consumer, Class<T> type,
            Predicate<T> match, Duration timeout) {
        @SuppressWarnings("unchecked")
        Received<T>[] found = new Received[1];
        await(consumer, r -> {
            if (r.value() instanceof GenericRecord g && g.getSchema().getFullName().equals(type.getName())) {
                T value = toSpecific(g, type);
                if (match.test(value)) {
                    found[0] = new Received<>(r, value);
                    return true;
                }
            }
            return false;
        }, timeout);
        return found[0];
    }

    /**
     * Runs {@code send} (which must put one record on {@code topic}) and returns that record as read
     * back from the real broker by a plain consumer that joined before the send.
     */
    public static <T extends SpecificRecord> Received<T> publishAndReadBack(String topic, Class<T> type, String eventId,
            Runnable send) {
        try (KafkaConsumer<String, Object> consumer = consumerAtEnd(Backbone.get(), topic)) {
            send.run();
            return await(consumer, type, r -> eventId.equals(eventIdOf(r)), Duration.ofSeconds(20));
        }
    }

    /** The {@code header.eventId} every Runway record carries. */
    static String eventIdOf(SpecificRecord record) {
        Object header = record.get(record.getSchema().getField("header").pos());
        return header instanceof SpecificRecord h ? String.valueOf(h.get(h.getSchema().getField("eventId").pos())) : null;
    }

    /**
     * Generic to generated class, through Avro's binary form and the class's own model (which knows
     * its logical types). Consumers here read generic records like any outside subscriber: under
     * {@code @QuarkusTest}, Avro's specific reader would resolve generated classes in a class loader
     * the test cannot cast from.
     */
    public static <T extends SpecificRecord> T toSpecific(GenericRecord record, Class<T> type) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
            new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
            // The generated class's own model knows its logical types but resolves classes through
            // Avro's loader; this one resolves them where the caller's class lives.
            SpecificData model = new SpecificData(type.getClassLoader());
            SpecificData.getForClass(type).getConversions().forEach(model::addLogicalTypeConversion);
            Schema readerSchema = model.getSchema(type);
            SpecificDatumReader<T> reader = new SpecificDatumReader<>(record.getSchema(), readerSchema, model);
            return reader.read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

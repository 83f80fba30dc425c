package dev.runway.orchestrator.messaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.runway.events.Topics;
import dev.runway.messaging.inbound.DeadLetter;
import dev.runway.orchestrator.support.Waits;
import dev.runway.testsupport.Backbone;
import dev.runway.testsupport.BackboneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** A reply the orchestrator cannot decode is not lost: it lands, byte for byte, on the topic's .dlq with the reason. */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = {
        @ResourceArg(name = "database", value = "runway_orchestrator_test"),
        @ResourceArg(name = "jdbc", value = "true"),
        @ResourceArg(name = "redis", value = "true") })
class ReplyDeadLetterTest {

    @Test
    void shouldDeadLetterAnUndecodableReplyWithTheReason() {
        Backbone backbone = Backbone.get();
        String key = UUID.randomUUID().toString();
        byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);
        Properties c = new Properties();
        c.putAll(backbone.kafkaAdmin());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + key);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Properties p = new Properties();
        p.putAll(backbone.kafkaAdmin());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaConsumer<String, byte[]> dlq = new KafkaConsumer<>(c); KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            dlq.subscribe(List.of(Topics.EXECUTOR_RESULTS + Topics.DLQ_SUFFIX));
            Waits.await("the dead-letter consumer joining").atMost(Duration.ofSeconds(30)).pollInSameThread()
                    .pollInterval(Duration.ofMillis(1)).until(() -> {
                        dlq.poll(Duration.ofMillis(100));
                        return !dlq.assignment().isEmpty();
                    });
            dlq.seekToEnd(dlq.assignment());
            dlq.assignment().forEach(dlq::position);
            producer.send(new ProducerRecord<>(Topics.EXECUTOR_RESULTS, key, garbage)).get();

            ConsumerRecord<String, byte[]> record = Waits.await("a dead letter for " + key).atMost(Duration.ofSeconds(30))
                    .pollInSameThread().pollInterval(Duration.ofMillis(1))
                    .until(() -> withKey(dlq.poll(Duration.ofMillis(200)), key), Objects::nonNull);
            assertArrayEquals(garbage, record.value(), "the original bytes are kept");
            var reason = record.headers().lastHeader(DeadLetter.REASON);
            assertNotNull(reason);
            assertTrue(new String(reason.value(), StandardCharsets.UTF_8).length() > 5);
            assertNotNull(record.headers().lastHeader(DeadLetter.OFFSET));
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ConsumerRecord<String, byte[]> withKey(ConsumerRecords<String, byte[]> records, String key) {
        for (ConsumerRecord<String, byte[]> record : records) {
            if (key.equals(record.key())) {
                return record;
            }
        }
        return null;
    }
}

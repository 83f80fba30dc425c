package dev.runway.notifier.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.runway.events.Environment;
import dev.runway.events.Topics;
import dev.runway.messaging.inbound.PoisonRecordException;
import dev.runway.notifier.support.Events;
import dev.runway.notifier.support.NotifierEndpointsResource;
import dev.runway.notifier.support.NotifierScenario;
import dev.runway.testsupport.Backbone;
import dev.runway.testsupport.BackboneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** Records the notifier cannot use end up on {@code <topic>.dlq} with the reason, never lost. */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = @ResourceArg(name = "database", value = "runway_notifier_test"))
@QuarkusTestResource(NotifierEndpointsResource.class)
class DeadLetterQueueTest extends NotifierScenario {

    private static final String DLQ = Topics.DEPLOYMENTS + Topics.DLQ_SUFFIX;
    private static final String HEALTH_DLQ = Topics.HEALTH_DECISIONS + Topics.DLQ_SUFFIX;

    @Test
    void shouldDeadLetterAnUndecodableRecordWithTheReasonAndTheOriginalBytes() {
        String id = newDeploymentId();
        byte[] garbage = ("not avro at all " + id).getBytes(StandardCharsets.UTF_8);
        try (KafkaConsumer<String, byte[]> dlq = dlqConsumerAtEnd(DLQ);
                KafkaProducer<String, byte[]> raw = rawProducer()) {
            raw.send(new ProducerRecord<>(Topics.DEPLOYMENTS, id, garbage)).get();

            ConsumerRecord<String, byte[]> dead = awaitDeadLetter(dlq, id);
            assertNotNull(header(dead, "dead-letter-reason"), "reason header");
            assertThat(header(dead, "dead-letter-reason"), startsWith("undecodable record"));
            assertEquals(PoisonRecordException.class.getName(), header(dead, "dead-letter-exception-class-name"));
            assertEquals(Topics.DEPLOYMENTS, header(dead, "dead-letter-topic"));
            assertNotNull(header(dead, "dead-letter-offset"), "offset header");
            // The unified scheme keeps the original bytes as the dead letter's value.
            assertArrayEquals(garbage, dead.value());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void shouldDeadLetterARecordThatDoesNotBelongOnTheLifecycleTopic() {
        String id = newDeploymentId();
        try (KafkaConsumer<String, byte[]> dlq = dlqConsumerAtEnd(DLQ)) {
            // A health decision on the lifecycle topic: decodable, but not a lifecycle event.
            lifecycle(new Events(id, Environment.PRODUCTION, "acme-shop").healthPassed());
            ConsumerRecord<String, byte[]> dead = awaitDeadLetter(dlq, id);
            assertThat(header(dead, "dead-letter-reason"), containsString("HealthCheckPassed does not belong on runway.deployments"));
            assertEquals(PoisonRecordException.class.getName(), header(dead, "dead-letter-exception-class-name"));
            assertEquals(Topics.DEPLOYMENTS, header(dead, "dead-letter-topic"));
        }
    }

    @Test
    void shouldDeadLetterARecordThatDoesNotBelongOnTheHealthDecisionsTopic() {
        String id = newDeploymentId();
        try (KafkaConsumer<String, byte[]> dlq = dlqConsumerAtEnd(HEALTH_DLQ)) {
            // A lifecycle event on the decisions topic: its own topic's DLQ, not the lifecycle one. The
            // orchestrator reads this topic too; the notifier's dead letter is the one with its reason.
            health(new Events(id, Environment.PRODUCTION, "acme-shop").stepStarted("deploy-green"));
            ConsumerRecord<String, byte[]> dead = awaitDeadLetter(dlq, id, "does not belong on");
            assertThat(header(dead, "dead-letter-reason"), containsString("StepStarted does not belong on runway.health.decisions"));
            assertEquals(Topics.HEALTH_DECISIONS, header(dead, "dead-letter-topic"));
        }
    }

    /** Plain bytes: a dead letter's value is whatever could (not) be decoded. Every partition, at its end. */
    private static KafkaConsumer<String, byte[]> dlqConsumerAtEnd(String topic) {
        Properties props = new Properties();
        props.putAll(Backbone.get().kafkaAdmin());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "notifier-dlq-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props);
        // Assigned, not subscribed: no group join to wait for, and the position is fixed before anything is sent.
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    private static ConsumerRecord<String, byte[]> awaitDeadLetter(KafkaConsumer<String, byte[]> consumer, String key) {
        return awaitDeadLetter(consumer, key, "");
    }

    /**
     * The first dead letter keyed {@code key} whose reason contains {@code reasonPart}. The consumer is
     * polled on this thread: it is not thread-safe.
     */
    private static ConsumerRecord<String, byte[]> awaitDeadLetter(KafkaConsumer<String, byte[]> consumer, String key, String reasonPart) {
        return await("a dead letter keyed " + key).atMost(Duration.ofSeconds(30)).pollInSameThread()
                .until(() -> first(consumer.poll(Duration.ofMillis(200)), key, reasonPart), Optional::isPresent)
                .orElseThrow();
    }

    private static Optional<ConsumerRecord<String, byte[]>> first(ConsumerRecords<String, byte[]> records, String key, String reasonPart) {
        for (ConsumerRecord<String, byte[]> r : records) {
            String reason = header(r, "dead-letter-reason");
            if (key.equals(r.key()) && (reasonPart.isEmpty() || reason != null && reason.contains(reasonPart))) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static KafkaProducer<String, byte[]> rawProducer() {
        Properties props = new Properties();
        props.putAll(Backbone.get().kafkaAdmin());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }
}

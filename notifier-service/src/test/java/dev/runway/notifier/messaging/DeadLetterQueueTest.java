package dev.runway.notifier.messaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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

            ConsumerRecord<String, byte[]> dead = await(dlq, id);
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
            ConsumerRecord<String, byte[]> dead = await(dlq, id);
            assertThat(header(dead, "dead-letter-reason"), containsString("HealthCheckPassed does not belong on runway.deployments"));
            assertEquals(PoisonRecordException.class.getName(), header(dead, "dead-letter-exception-class-name"));
            assertEquals(Topics.DEPLOYMENTS, header(dead, "dead-letter-topic"));
        }
    }

    @Test
    void shouldDeadLetterARecordThatDoesNotBelongOnTheHealthDecisionsTopic() {
        String id = newDeploymentId();
        try (KafkaConsumer<String, byte[]> dlq = dlqConsumerAtEnd(HEALTH_DLQ)) {
            // A lifecycle event on the decisions topic: its own topic's DLQ, not the lifecycle one.
            health(new Events(id, Environment.PRODUCTION, "acme-shop").stepStarted("deploy-green"));
            ConsumerRecord<String, byte[]> dead = await(dlq, id);
            assertThat(header(dead, "dead-letter-reason"), containsString("StepStarted does not belong on runway.health.decisions"));
            assertEquals(Topics.HEALTH_DECISIONS, header(dead, "dead-letter-topic"));
        }
    }

    /** Plain bytes: a dead letter's value is whatever could (not) be decoded. Joins, then starts at the end. */
    private static KafkaConsumer<String, byte[]> dlqConsumerAtEnd(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Backbone.get().kafkaBootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "notifier-dlq-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(topic));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100));
        }
        consumer.seekToEnd(consumer.assignment());
        consumer.assignment().forEach(consumer::position);
        return consumer;
    }

    private static ConsumerRecord<String, byte[]> await(KafkaConsumer<String, byte[]> consumer, String key) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (key.equals(r.key())) {
                    return r;
                }
            }
        }
        throw new AssertionError("no dead letter keyed " + key + " within 30 s");
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static KafkaProducer<String, byte[]> rawProducer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Backbone.get().kafkaBootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }
}

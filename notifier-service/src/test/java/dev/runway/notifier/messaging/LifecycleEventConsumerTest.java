package dev.runway.notifier.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

import dev.runway.events.DeploymentSucceeded;
import dev.runway.events.Environment;
import dev.runway.events.Envelopes;
import dev.runway.events.Topics;
import dev.runway.testsupport.AvroKafka;
import dev.runway.testsupport.Backbone;
import dev.runway.testsupport.BackboneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** A lifecycle event produced through the real registry reaches the notifier's incoming channel intact. */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = @ResourceArg(name = "database", value = "runway_notifier_test"))
class LifecycleEventConsumerTest {

    private final ReceivedEvents received;

    LifecycleEventConsumerTest(ReceivedEvents received) {
        this.received = received;
    }

    @Test
    void shouldDecodeLifecycleEventFromTheRealTopic() throws InterruptedException {
        String deploymentId = UUID.randomUUID().toString();
        DeploymentSucceeded sent = DeploymentSucceeded.newBuilder()
                .setHeader(Envelopes.first(deploymentId, Environment.UAT, "acme-shop", Clock.systemUTC()))
                .setVersion("v2.0.0").setDurationMs(93_000L).setComponents(List.of("web"))
                .build();

        try (KafkaProducer<String, Object> producer = AvroKafka.producer(Backbone.get())) {
            AvroKafka.send(producer, Topics.DEPLOYMENTS, deploymentId, sent);
        }

        Optional<SpecificRecord> got = Optional.empty();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (got.isEmpty() && System.nanoTime() < deadline) {
            got = received.byEventId(sent.getHeader().getEventId());
            Thread.sleep(100);
        }
        assertEquals(Optional.of(sent), got);
    }
}

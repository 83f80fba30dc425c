package dev.runway.healthwatcher.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.runway.events.Envelopes;
import dev.runway.events.Environment;
import dev.runway.events.EventHeader;
import dev.runway.events.IncidentPriority;
import dev.runway.events.Sample;
import dev.runway.events.ThresholdBreached;
import dev.runway.events.Topics;
import dev.runway.testsupport.AvroKafka;
import dev.runway.testsupport.AvroKafka.Received;
import dev.runway.testsupport.BackboneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** This service's outgoing channel through the real broker and registry, read back by a plain consumer. */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = { @ResourceArg(name = "database", value = "runway_health_test"), @ResourceArg(name = "jdbc", value = "true") })
class DecisionPublisherTest {

    private final DecisionPublisher publisher;

    DecisionPublisherTest(DecisionPublisher publisher) {
        this.publisher = publisher;
    }

    @Test
    void shouldPublishAvroRecordKeyedByDeploymentIdThroughTheRegistry() {
        String deploymentId = UUID.randomUUID().toString();
        EventHeader header = Envelopes.first(deploymentId, Environment.PRODUCTION, "acme-shop", Clock.systemUTC());
        ThresholdBreached sent = ThresholdBreached.newBuilder()
                .setHeader(header).setWatchId(UUID.randomUUID().toString()).setStep("canary-10")
                .setMetric("error_rate").setValue(7.5).setThreshold(5.0).setWindowSeconds(120)
                .setSource("http://127.0.0.1:9100/q/metrics")
                .setSamples(List.of(
                        Sample.newBuilder().setAt(header.getOccurredAt()).setValue(6.0).build(),
                        Sample.newBuilder().setAt(header.getOccurredAt().plusSeconds(1)).setValue(Double.NaN).build()))
                .setPriority(IncidentPriority.P1)
                .build();

        Received<ThresholdBreached> received = AvroKafka.publishAndReadBack(Topics.HEALTH_DECISIONS, ThresholdBreached.class, header.getEventId(),
                () -> publisher.publish(sent).await().atMost(Duration.ofSeconds(20)));

        // Avro's record equality says NaN != NaN; a "no data" sample must survive the trip as NaN.
        assertEquals(sent.toString(), received.value().toString());
        assertTrue(Double.isNaN(received.value().getSamples().get(1).getValue()));
        assertEquals(deploymentId, received.kafkaRecord().key());
    }
}

package dev.runway.orchestrator.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.runway.events.DeploymentStarted;
import dev.runway.events.Environment;
import dev.runway.events.Envelopes;
import dev.runway.events.Strategy;
import dev.runway.events.Topics;
import dev.runway.testsupport.AvroKafka;
import dev.runway.testsupport.AvroKafka.Received;
import dev.runway.testsupport.BackboneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** The orchestrator's lifecycle channel through the real broker and registry, read back by a plain consumer. */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = {
        @ResourceArg(name = "database", value = "runway_orchestrator_test"),
        @ResourceArg(name = "redis", value = "true") })
class LifecycleEventPublisherTest {

    private final LifecycleEventPublisher publisher;

    LifecycleEventPublisherTest(LifecycleEventPublisher publisher) {
        this.publisher = publisher;
    }

    @Test
    void shouldPublishAvroEventKeyedByDeploymentIdThroughTheRegistry() {
        String deploymentId = UUID.randomUUID().toString();
        DeploymentStarted sent = DeploymentStarted.newBuilder()
                .setHeader(Envelopes.first(deploymentId, Environment.STAGING, "acme-shop", Clock.systemUTC()))
                .setVersion("v1.2.3")
                .setStrategy(Strategy.CANARY)
                .setComponents(List.of("web", "api"))
                .setFencingToken(42L)
                .build();

        Received<DeploymentStarted> received = AvroKafka.publishAndReadBack(Topics.DEPLOYMENTS, DeploymentStarted.class,
                sent.getHeader().getEventId(), () -> publisher.publish(sent).await().atMost(Duration.ofSeconds(20)));

        assertEquals(sent, received.value());
        assertEquals(deploymentId, received.kafkaRecord().key());
        var ceType = received.kafkaRecord().headers().lastHeader("ce_type");
        assertNotNull(ceType, "CloudEvents attributes travel as headers");
        assertEquals("dev.runway.events.DeploymentStarted", new String(ceType.value(), StandardCharsets.UTF_8));
    }
}

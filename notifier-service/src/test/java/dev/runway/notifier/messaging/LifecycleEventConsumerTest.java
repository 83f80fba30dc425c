package dev.runway.notifier.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import dev.runway.events.DeploymentSucceeded;
import dev.runway.events.Environment;
import dev.runway.events.Envelopes;
import dev.runway.notifier.support.NotifierEndpointsResource;
import dev.runway.notifier.support.NotifierScenario;
import dev.runway.testsupport.BackboneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** A lifecycle event produced through the real registry reaches the notifier's incoming channel intact. */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = @ResourceArg(name = "database", value = "runway_notifier_test"))
@QuarkusTestResource(NotifierEndpointsResource.class)
class LifecycleEventConsumerTest extends NotifierScenario {

    @Test
    void shouldDecodeLifecycleEventFromTheRealTopic() {
        String deploymentId = UUID.randomUUID().toString();
        DeploymentSucceeded sent = DeploymentSucceeded.newBuilder()
                .setHeader(Envelopes.first(deploymentId, Environment.UAT, "acme-shop", Clock.systemUTC()))
                .setVersion("v2.0.0").setDurationMs(93_000L).setComponents(List.of("web"))
                .build();

        lifecycle(sent);

        Optional<SpecificRecord> got = await("the event received").atMost(Duration.ofSeconds(30)).until(
                () -> received.byEventId(sent.getHeader().getEventId()), Optional::isPresent);
        assertEquals(Optional.of(sent), got);
    }
}

package dev.runway.validator.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.runway.events.CheckResult;
import dev.runway.events.CheckStatus;
import dev.runway.events.Environment;
import dev.runway.events.Envelopes;
import dev.runway.events.EventHeader;
import dev.runway.events.Severity;
import dev.runway.events.Topics;
import dev.runway.events.ValidationOutcome;
import dev.runway.events.ValidationPassed;
import dev.runway.events.ValidationReport;
import dev.runway.testsupport.AvroKafka;
import dev.runway.testsupport.AvroKafka.Received;
import dev.runway.testsupport.BackboneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** This service's outgoing channel through the real broker and registry, read back by a plain consumer. */
@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = {
        @ResourceArg(name = "database", value = "runway_validator_test"), @ResourceArg(name = "jdbc", value = "true") })
class ValidationResultPublisherTest {

    private final ValidationResultPublisher publisher;

    ValidationResultPublisherTest(ValidationResultPublisher publisher) {
        this.publisher = publisher;
    }

    @Test
    void shouldPublishAvroRecordKeyedByDeploymentIdThroughTheRegistry() {
        String deploymentId = UUID.randomUUID().toString();
        EventHeader header = Envelopes.first(deploymentId, Environment.PRODUCTION, "acme-shop", Clock.systemUTC());
        ValidationPassed sent = ValidationPassed.newBuilder()
                .setHeader(header)
                .setReport(ValidationReport.newBuilder()
                        .setOutcome(ValidationOutcome.PASSED_WITH_WARNINGS).setErrors(0).setWarnings(1).setDurationMs(812)
                        .setChecks(List.of(CheckResult.newBuilder()
                                .setRuleId("tests.ci-evidence").setPhase(6).setPhaseName("Test Verification")
                                .setSeverity(Severity.WARNING).setStatus(CheckStatus.WARNED)
                                .setMessage("no CI run reference").setHint("attach the passed CI run").setFile(null)
                                .build()))
                        .build())
                .build();

        Received<ValidationPassed> received = AvroKafka.publishAndReadBack(Topics.VALIDATION_RESULTS, ValidationPassed.class, header.getEventId(),
                () -> publisher.publish(sent).await().atMost(Duration.ofSeconds(20)));

        assertEquals(sent, received.value());
        assertEquals(deploymentId, received.kafkaRecord().key());
    }
}

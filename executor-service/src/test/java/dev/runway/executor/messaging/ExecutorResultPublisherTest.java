package dev.runway.executor.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.runway.events.DatabaseBackedUp;
import dev.runway.events.Envelopes;
import dev.runway.events.Environment;
import dev.runway.events.EventHeader;
import dev.runway.events.Topics;
import dev.runway.executor.support.ExecutorTestResource;
import dev.runway.testsupport.AvroKafka.Received;
import dev.runway.testsupport.AvroKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** This service's outgoing channel through the real broker and registry, read back by a plain consumer. */
@QuarkusTest
@QuarkusTestResource(ExecutorTestResource.class)
class ExecutorResultPublisherTest {

    private final ExecutorResultPublisher publisher;

    ExecutorResultPublisherTest(ExecutorResultPublisher publisher) {
        this.publisher = publisher;
    }

    @Test
    void shouldPublishAvroRecordKeyedByDeploymentIdThroughTheRegistry() {
        String deploymentId = UUID.randomUUID().toString();
        EventHeader header = Envelopes.first(deploymentId, Environment.PRODUCTION, "acme-shop", Clock.systemUTC());
        DatabaseBackedUp sent = DatabaseBackedUp.newBuilder()
                .setHeader(header).setStep("backup-database")
                .setBackupId("backup_20260115_143022").setLocation("/backups/production/backup_20260115_143022.dump")
                .setSizeBytes(48_213L).setVerified(true)
                .build();

        Received<DatabaseBackedUp> received = AvroKafka.publishAndReadBack(Topics.EXECUTOR_RESULTS, DatabaseBackedUp.class, header.getEventId(),
                () -> publisher.publish(sent).await().atMost(Duration.ofSeconds(20)));

        assertEquals(sent, received.value());
        assertEquals(deploymentId, received.kafkaRecord().key());
    }
}

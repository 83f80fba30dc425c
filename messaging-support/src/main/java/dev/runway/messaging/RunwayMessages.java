package dev.runway.messaging;

import java.net.URI;
import java.time.ZoneOffset;
import java.util.Locale;

import org.apache.avro.specific.SpecificRecord;
import org.eclipse.microprofile.reactive.messaging.Message;

import dev.runway.events.Envelopes;
import dev.runway.events.EventHeader;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Turns a Runway record into the Kafka message every service sends: keyed by deployment id (so one
 * deployment's records stay ordered on one partition) and carrying CloudEvents attributes that the
 * Kafka connector writes as {@code ce_*} headers (binary mode), for outside subscribers. The
 * project environment (and the client, when known) travel as CloudEvents extensions
 * ({@code ce_runwayproject}, {@code ce_runwayenvironment}, {@code ce_runwayclient}), so a subscriber
 * or a broker-side filter can route one client's records without decoding them.
 */
public final class RunwayMessages {

    private RunwayMessages() {
    }

    /**
     * @param source the CloudEvents source of the sending service, e.g. {@code /runway/orchestrator}
     */
    public static <T extends SpecificRecord> Message<T> keyed(T record, String source) {
        EventHeader header = Envelopes.headerOf(record);
        var cloudEvent = OutgoingCloudEventMetadata.builder()
                .withId(header.getEventId())
                .withType(record.getSchema().getFullName())
                .withSource(URI.create(source))
                .withSubject(header.getDeploymentId())
                .withTimestamp(header.getOccurredAt().atZone(ZoneOffset.UTC))
                .withExtension("runwayproject", header.getProject())
                .withExtension("runwayenvironment", header.getEnvironment().name().toLowerCase(Locale.ROOT));
        if (header.getClient() != null) {
            cloudEvent.withExtension("runwayclient", header.getClient());
        }
        return Message.of(record)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(header.getDeploymentId()).build())
                .addMetadata(cloudEvent.build());
    }
}

package dev.runway.orchestrator.saga.participants;

import org.apache.avro.specific.SpecificRecord;

/** A record a proxy built for its participant, with the topic that participant reads. */
public record Command(String topic, SpecificRecord record) {
}

package dev.runway.orchestrator.saga.participants;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.avro.specific.SpecificRecord;

import dev.runway.orchestrator.deployment.Deployment;
import dev.runway.orchestrator.deployment.DeploymentPlan;

/** The reply types one participant sends, each with what it means; a type not listed is not understood. */
final class Replies {

    /** Reads one reply type; it may note on the deployment what later commands need (a backup id, endpoints). */
    @FunctionalInterface
    interface Reader<R extends SpecificRecord> {
        ReplyOutcome read(Deployment d, DeploymentPlan plan, R reply);
    }

    private final Map<Class<? extends SpecificRecord>, Reader<? extends SpecificRecord>> readers = new LinkedHashMap<>();

    <R extends SpecificRecord> Replies on(Class<R> type, Reader<R> reader) {
        readers.put(type, reader);
        return this;
    }

    Set<Class<? extends SpecificRecord>> types() {
        return readers.keySet();
    }

    Optional<ReplyOutcome> read(Deployment d, DeploymentPlan plan, SpecificRecord reply) {
        return Optional.ofNullable(readers.get(reply.getClass())).map(reader -> apply(reader, d, plan, reply));
    }

    @SuppressWarnings("unchecked") // the map only pairs a type with its own reader
    private static <R extends SpecificRecord> ReplyOutcome apply(Reader<R> reader, Deployment d, DeploymentPlan plan,
            SpecificRecord reply) {
        return reader.read(d, plan, (R) reply);
    }
}

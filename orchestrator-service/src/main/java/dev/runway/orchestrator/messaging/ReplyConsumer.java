package dev.runway.orchestrator.messaging;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.runway.events.Topics;
import dev.runway.orchestrator.deployment.ReplyHandler;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Replies of the validator, the executor and the health-watcher. Each record is decoded, applied
 * in one transaction (with its processed-message row), retried on conflicts, and dead-lettered
 * with the reason when it cannot be applied — never dropped.
 */
@ApplicationScoped
public class ReplyConsumer {

    private final RecordDecoder decoder;
    private final ReplyHandler handler;
    private final DeadLetters deadLetters;

    public ReplyConsumer(RecordDecoder decoder, ReplyHandler handler, DeadLetters deadLetters) {
        this.decoder = decoder;
        this.handler = handler;
        this.deadLetters = deadLetters;
    }

    @Incoming(Topics.VALIDATION_RESULTS)
    public Uni<Void> validationResult(ConsumerRecord<String, byte[]> record) {
        return apply(record);
    }

    @Incoming(Topics.EXECUTOR_RESULTS)
    public Uni<Void> executorResult(ConsumerRecord<String, byte[]> record) {
        return apply(record);
    }

    @Incoming(Topics.HEALTH_DECISIONS)
    public Uni<Void> healthDecision(ConsumerRecord<String, byte[]> record) {
        return apply(record);
    }

    private Uni<Void> apply(ConsumerRecord<String, byte[]> record) {
        // The registry client blocks (and answers on an event loop): decode on a worker, continue on this context.
        Context context = Vertx.currentContext();
        return Uni.createFrom().completionStage(() -> context.<SpecificRecord>executeBlocking(
                        () -> decoder.decode(record.topic(), record.headers(), record.value()), false).toCompletionStage())
                .onFailure().recoverWithUni(undecodable -> deadLetters.send(record, undecodable).replaceWith((SpecificRecord) null))
                .flatMap(decoded -> decoded == null ? Uni.createFrom().voidItem()
                        : handler.handle(decoded)
                                // Two writers on one deployment (API and a reply): the loser retries on fresh state.
                                .onFailure().retry().withBackOff(Duration.ofMillis(20), Duration.ofSeconds(1)).atMost(8)
                                .onFailure().recoverWithUni(failure -> deadLetters.send(record, failure)));
    }
}

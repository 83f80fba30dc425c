package dev.runway.orchestrator.messaging;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.runway.events.Topics;
import dev.runway.orchestrator.deployment.ReplyHandler;
import dev.runway.orchestrator.saga.participants.ExecutorProxy;
import dev.runway.orchestrator.saga.participants.HealthWatcherProxy;
import dev.runway.orchestrator.saga.participants.Participant;
import dev.runway.orchestrator.saga.participants.ValidatorProxy;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Replies of the validator, the executor and the health-watcher, one topic each: the topic names
 * the sender, whose proxy reads the reply. Each record is decoded, applied
 * in one transaction (with its processed-message row), retried on conflicts, and dead-lettered
 * with the reason when it cannot be applied — never dropped.
 */
@ApplicationScoped
public class ReplyConsumer {

    private final RecordDecoder decoder;
    private final ReplyHandler handler;
    private final DeadLetters deadLetters;
    private final ValidatorProxy validator;
    private final ExecutorProxy executor;
    private final HealthWatcherProxy healthWatcher;

    public ReplyConsumer(RecordDecoder decoder, ReplyHandler handler, DeadLetters deadLetters, ValidatorProxy validator,
            ExecutorProxy executor, HealthWatcherProxy healthWatcher) {
        this.decoder = decoder;
        this.handler = handler;
        this.deadLetters = deadLetters;
        this.validator = validator;
        this.executor = executor;
        this.healthWatcher = healthWatcher;
    }

    @Incoming(Topics.VALIDATION_RESULTS)
    public Uni<Void> validationResult(ConsumerRecord<String, byte[]> record) {
        return apply(validator, record);
    }

    @Incoming(Topics.EXECUTOR_RESULTS)
    public Uni<Void> executorResult(ConsumerRecord<String, byte[]> record) {
        return apply(executor, record);
    }

    @Incoming(Topics.HEALTH_DECISIONS)
    public Uni<Void> healthDecision(ConsumerRecord<String, byte[]> record) {
        return apply(healthWatcher, record);
    }

    private Uni<Void> apply(Participant from, ConsumerRecord<String, byte[]> record) {
        // The registry client blocks (and answers on an event loop): decode on a worker, continue on this context.
        Context context = Vertx.currentContext();
        return Uni.createFrom().completionStage(() -> context.<SpecificRecord>executeBlocking(
                        () -> decoder.decode(record.topic(), record.headers(), record.value()), false).toCompletionStage())
                .onFailure().recoverWithUni(undecodable -> deadLetters.send(record, undecodable).replaceWith((SpecificRecord) null))
                .flatMap(decoded -> decoded == null ? Uni.createFrom().voidItem()
                        : handler.handle(from, decoded)
                                // Two writers on one deployment (API and a reply): the loser retries on fresh state.
                                .onFailure().retry().withBackOff(Duration.ofMillis(20), Duration.ofSeconds(1)).atMost(8)
                                .onFailure().recoverWithUni(failure -> deadLetters.send(record, failure)));
    }
}

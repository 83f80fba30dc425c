package dev.runway.orchestrator.messaging;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.runway.events.Topics;
import dev.runway.messaging.inbound.InboundDecoder;
import dev.runway.messaging.inbound.PoisonRecordException;
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
 * the sender, whose proxy reads the reply. Each record is decoded and applied in one transaction
 * (with its processed-message row). One rule for failures, as in every Runway consumer: a poison
 * record (undecodable, not a reply, no deployment id) is dead-lettered at once; anything else
 * (a conflicting writer, Postgres, Redis or the registry unavailable) is retried with backoff.
 */
@ApplicationScoped
public class ReplyConsumer {

    /**
     * Retries of a failure that is not the record's fault: with the backoff capped at 30 s this is
     * well over an hour, after which the record is dead-lettered with the reason rather than lost.
     */
    private static final int RETRIES = 200;

    private final InboundDecoder decoder;
    private final ReplyHandler handler;
    private final DeadLetters deadLetters;
    private final ValidatorProxy validator;
    private final ExecutorProxy executor;
    private final HealthWatcherProxy healthWatcher;

    public ReplyConsumer(InboundDecoder decoder, ReplyHandler handler, DeadLetters deadLetters, ValidatorProxy validator,
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
                .flatMap(decoded -> handler.handle(from, decoded))
                // Two writers on one deployment (API and a reply): the loser retries on fresh state; so does an outage.
                .onFailure(failure -> !PoisonRecordException.isPoison(failure))
                .retry().withBackOff(Duration.ofMillis(20), Duration.ofSeconds(30)).atMost(RETRIES)
                .onFailure().recoverWithUni(failure -> deadLetters.send(record, failure));
    }
}

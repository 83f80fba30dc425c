package dev.runway.orchestrator.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.runway.events.Topics;
import dev.runway.messaging.inbound.InboundPipeline;
import dev.runway.orchestrator.deployment.ReplyHandler;
import dev.runway.orchestrator.saga.participants.ExecutorProxy;
import dev.runway.orchestrator.saga.participants.HealthWatcherProxy;
import dev.runway.orchestrator.saga.participants.ValidatorProxy;
import io.smallrye.mutiny.Uni;

/**
 * Replies of the validator, the executor and the health-watcher, one topic each: the topic names
 * the sender, whose proxy reads the reply. Each record is applied in one transaction (with its
 * processed-message row) through messaging-support's {@link InboundPipeline}: a poison record
 * (undecodable, not a reply, no deployment id) is dead-lettered at once; anything else (a
 * conflicting writer, Postgres, Redis or the registry unavailable) is retried with backoff.
 */
@ApplicationScoped
public class ReplyConsumer {

    private final InboundPipeline inbound;
    private final ReplyHandler handler;
    private final ValidatorProxy validator;
    private final ExecutorProxy executor;
    private final HealthWatcherProxy healthWatcher;

    public ReplyConsumer(InboundPipeline inbound, ReplyHandler handler, ValidatorProxy validator, ExecutorProxy executor,
            HealthWatcherProxy healthWatcher) {
        this.inbound = inbound;
        this.handler = handler;
        this.validator = validator;
        this.executor = executor;
        this.healthWatcher = healthWatcher;
    }

    @Incoming(Topics.VALIDATION_RESULTS)
    public Uni<Void> validationResult(ConsumerRecord<String, byte[]> record) {
        return inbound.process(record, reply -> handler.handle(validator, reply));
    }

    @Incoming(Topics.EXECUTOR_RESULTS)
    public Uni<Void> executorResult(ConsumerRecord<String, byte[]> record) {
        return inbound.process(record, reply -> handler.handle(executor, reply));
    }

    @Incoming(Topics.HEALTH_DECISIONS)
    public Uni<Void> healthDecision(ConsumerRecord<String, byte[]> record) {
        return inbound.process(record, reply -> handler.handle(healthWatcher, reply));
    }
}

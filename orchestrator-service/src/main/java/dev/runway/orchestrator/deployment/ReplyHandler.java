package dev.runway.orchestrator.deployment;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.jboss.logging.Logger;

import dev.runway.events.Envelopes;
import dev.runway.events.EventHeader;
import dev.runway.events.NeedsAttention;
import dev.runway.messaging.inbound.PoisonRecordException;
import dev.runway.orchestrator.decommission.KeptReleases;
import dev.runway.orchestrator.messaging.ProcessedMessage;
import dev.runway.orchestrator.outbox.OutboxRelay;
import dev.runway.orchestrator.saga.Effect;
import dev.runway.orchestrator.saga.Saga;
import dev.runway.orchestrator.saga.participants.Participant;
import dev.runway.orchestrator.saga.participants.ReplyOutcome;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Applies one participant reply to its saga: exactly once (processed-message row in the same
 * transaction), and only if it answers the step in flight — duplicates and late or out-of-order
 * replies are recorded in the audit log and change nothing. What a reply means is the sending
 * participant's proxy's business.
 */
@ApplicationScoped
public class ReplyHandler {

    private static final Logger LOG = Logger.getLogger(ReplyHandler.class);

    private final SagaRunner runner;
    private final OutboxRelay relay;
    private final SagaWatchdog watchdog;
    private final KeptReleases kept;

    public ReplyHandler(SagaRunner runner, OutboxRelay relay, SagaWatchdog watchdog, KeptReleases kept) {
        this.runner = runner;
        this.relay = relay;
        this.watchdog = watchdog;
        this.kept = kept;
    }

    /** Applies {@code record}, which arrived on {@code from}'s reply topic. */
    public Uni<Void> handle(Participant from, SpecificRecord record) {
        EventHeader header;
        UUID id;
        try {
            header = Envelopes.headerOf(record);
            id = UUID.fromString(header.getDeploymentId());
        } catch (RuntimeException e) {
            // No deployment to apply it to, however often it is tried.
            return Uni.createFrom().failure(new PoisonRecordException("no deployment id in " + record.getSchema().getName()
                    + ": " + e.getMessage(), e));
        }
        return Panache.withTransaction(() -> ProcessedMessage.<ProcessedMessage>findById(header.getEventId())
                .flatMap(seen -> seen != null ? Uni.createFrom().item(false)
                        : Deployment.<Deployment>findById(id).flatMap(d -> {
                            if (d == null) {
                                LOG.warnf("%s for unknown deployment %s ignored", record.getSchema().getName(), id);
                                return markProcessed(header, null, record).replaceWith(false);
                            }
                            return markProcessed(header, id, record).flatMap(x -> apply(from, d, record, header));
                        })))
                .invoke(changed -> {
                    if (changed) {
                        relay.kick();
                        watchdog.soon();
                    }
                })
                .replaceWithVoid();
    }

    private Uni<ProcessedMessage> markProcessed(EventHeader header, UUID id, SpecificRecord record) {
        ProcessedMessage processed = new ProcessedMessage();
        processed.eventId = header.getEventId();
        processed.deploymentId = id;
        processed.recordType = record.getSchema().getName();
        processed.processedAt = Instant.now();
        return processed.persist();
    }

    private Uni<Boolean> apply(Participant from, Deployment d, SpecificRecord record, EventHeader header) {
        SagaRunner.Cause cause = new SagaRunner.Cause(from.name(), header.getEventId(), null);
        SagaRunner.Loaded run = runner.load(d);
        Optional<ReplyOutcome> understood = from.understand(d, run.plan(), record);
        if (understood.isEmpty()) {
            return runner.audit(d, cause, "ignored", "unexpected " + record.getSchema().getName()).replaceWith(false);
        }
        ReplyOutcome outcome = understood.get();
        if (KeptReleases.answers(outcome.step())) {
            // The Decommission of the release this deployment kept: not a saga step (the saga has ended).
            return kept.answer(d, from.name(), record, outcome, header.getEventId());
        }
        Saga saga = run.saga();
        List<Effect> effects;
        switch (outcome.verdict()) {
            case PROGRESS -> {
                return runner.audit(d, cause, "progress", outcome.detail()).replaceWith(false);
            }
            case RECOMMEND -> {
                return recommend(d, cause, outcome.step(), outcome.detail());
            }
            case BREACHED -> effects = saga.abort(Saga.Abort.BREACH, outcome.step(), outcome.detail());
            case SUCCEEDED -> effects = saga.succeeded(outcome.step());
            case FAILED -> effects = saga.failed(outcome.step(), outcome.detail());
            default -> throw new IllegalStateException(outcome.verdict().name());
        }
        SagaRunner.Cause withDetail = new SagaRunner.Cause(cause.actor(), cause.eventId(), outcome.detail());
        return runner.audit(d, withDetail, "reply", record.getSchema().getName() + " for " + outcome.step()
                        + (outcome.detail() == null ? "" : ": " + outcome.detail()))
                .flatMap(x -> runner.apply(run, effects, withDetail))
                .replaceWith(true);
    }

    private Uni<Boolean> recommend(Deployment d, SagaRunner.Cause cause, String step, String why) {
        // The saga keeps waiting (its deadline still applies); people are told now.
        return runner.audit(d, cause, "rollback-recommended", why)
                .flatMap(x -> runner.publishLifecycle(d, NeedsAttention.newBuilder().setHeader(runner.header(d, cause.eventId()))
                        .setVersion(d.version).setReason(why).setStep(step).build()))
                .replaceWith(true);
    }
}

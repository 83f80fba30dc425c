package dev.runway.orchestrator.deployment;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.jboss.logging.Logger;

import dev.runway.events.*;
import dev.runway.orchestrator.messaging.ProcessedMessage;
import dev.runway.orchestrator.outbox.OutboxRelay;
import dev.runway.orchestrator.saga.Effect;
import dev.runway.orchestrator.saga.Saga;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Applies one participant reply to its saga: exactly once (processed-message row in the same
 * transaction), and only if it answers the step in flight — duplicates and late or out-of-order
 * replies are recorded in the audit log and change nothing.
 */
@ApplicationScoped
public class ReplyHandler {

    private static final Logger LOG = Logger.getLogger(ReplyHandler.class);

    /** What a reply means for the saga. */
    private record Outcome(String step, boolean ok, boolean breach, String detail) {
    }

    private final SagaRunner runner;
    private final OutboxRelay relay;
    private final SagaWatchdog watchdog;

    public ReplyHandler(SagaRunner runner, OutboxRelay relay, SagaWatchdog watchdog) {
        this.runner = runner;
        this.relay = relay;
        this.watchdog = watchdog;
    }

    public Uni<Void> handle(SpecificRecord record) {
        EventHeader header = Envelopes.headerOf(record);
        UUID id;
        try {
            id = UUID.fromString(header.getDeploymentId());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(new IllegalArgumentException("deploymentId is not a UUID: " + header.getDeploymentId()));
        }
        return Panache.withTransaction(() -> ProcessedMessage.<ProcessedMessage>findById(header.getEventId())
                .flatMap(seen -> seen != null ? Uni.createFrom().item(false)
                        : Deployment.<Deployment>findById(id).flatMap(d -> {
                            if (d == null) {
                                LOG.warnf("%s for unknown deployment %s ignored", record.getSchema().getName(), id);
                                return markProcessed(header, null, record).replaceWith(false);
                            }
                            return markProcessed(header, id, record).flatMap(x -> apply(d, record, header));
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

    private Uni<Boolean> apply(Deployment d, SpecificRecord record, EventHeader header) {
        SagaRunner.Cause cause = new SagaRunner.Cause(actorOf(record), header.getEventId(), null);
        if (record instanceof StepProgress progress) {
            return runner.audit(d, cause, "progress", progress.getStep() + " " + progress.getPercent() + "%: " + progress.getMessage())
                    .replaceWith(false);
        }
        if (record instanceof ThresholdBreached breach && !automaticRollback(d, breach.getPriority())) {
            return recommend(d, cause, breach.getStep(), "threshold breached (" + breach.getPriority() + "): "
                    + describe(breach) + "; manual rollback recommended");
        }
        if (record instanceof RollbackDecided decided) {
            if (decided.getMode() == RollbackMode.RECOMMENDED || !automaticRollback(d, decided.getPriority())) {
                return recommend(d, cause, decided.getStep(), "rollback recommended (" + decided.getPriority() + ", within "
                        + decided.getTimeframeSeconds() + " s): " + decided.getReason());
            }
        }
        Outcome outcome = outcome(record);
        if (outcome == null) {
            return runner.audit(d, cause, "ignored", "unexpected " + record.getSchema().getName()).replaceWith(false);
        }
        if (record instanceof DatabaseBackedUp backedUp) {
            d.backupId = backedUp.getBackupId();
        } else if (record instanceof MigrationApplied applied) {
            d.appliedMigrations = String.join(",", applied.getApplied());
        } else if (record instanceof GreenDeployed deployed) {
            runner.recordEndpoints(d, deployed.getEndpoints());
        }
        Saga saga = runner.saga(d);
        List<Effect> effects;
        if (outcome.breach()) {
            effects = saga.abort(Saga.Abort.BREACH, outcome.step(), outcome.detail());
        } else if (outcome.ok()) {
            effects = saga.succeeded(outcome.step());
        } else {
            effects = saga.failed(outcome.step(), outcome.detail());
        }
        SagaRunner.Cause withDetail = new SagaRunner.Cause(cause.actor(), cause.eventId(), outcome.detail());
        return runner.audit(d, withDetail, "reply", record.getSchema().getName() + " for " + outcome.step()
                        + (outcome.detail() == null ? "" : ": " + outcome.detail()))
                .flatMap(x -> runner.apply(d, saga, effects, withDetail))
                .replaceWith(true);
    }

    /** The manifest's rollback.automatic and the 004 matrix: only P0 rolls back without a person. */
    private boolean automaticRollback(Deployment d, IncidentPriority priority) {
        return priority == IncidentPriority.P0 && runner.plan(d).thresholds().automatic();
    }

    private Uni<Boolean> recommend(Deployment d, SagaRunner.Cause cause, String step, String why) {
        return runner.audit(d, cause, "rollback-recommended", why)
                .flatMap(x -> relayNeedsAttention(d, cause, step, why))
                .replaceWith(true);
    }

    private Uni<Void> relayNeedsAttention(Deployment d, SagaRunner.Cause cause, String step, String why) {
        // The saga keeps waiting (its deadline still applies); people are told now.
        return runner.publishLifecycle(d, NeedsAttention.newBuilder().setHeader(runner.header(d, cause.eventId()))
                .setVersion(d.version).setReason(why).setStep(step).build());
    }

    private static String actorOf(SpecificRecord record) {
        String ns = record.getSchema().getName();
        if (ns.startsWith("Validation")) {
            return "validator";
        }
        if (record instanceof HealthCheckPassed || record instanceof ThresholdBreached || record instanceof RollbackDecided) {
            return "health-watcher";
        }
        return "executor";
    }

    private static String describe(ThresholdBreached b) {
        return b.getMetric() + " " + b.getValue() + " > " + b.getThreshold() + " for " + b.getWindowSeconds() + " s ("
                + b.getSource() + ", " + b.getSamples().size() + " samples)";
    }

    private static Outcome outcome(SpecificRecord record) {
        if (record instanceof ValidationPassed p) {
            return new Outcome("validate", true, false, p.getReport().getOutcome() + ", "
                    + p.getReport().getWarnings() + " warnings");
        }
        if (record instanceof ValidationFailed f) {
            return new Outcome("validate", false, false, f.getReason() + " (" + f.getReport().getErrors()
                    + " errors: " + String.join(", ", f.getReport().getChecks().stream()
                            .filter(c -> c.getStatus() == CheckStatus.FAILED).map(CheckResult::getRuleId).limit(10).toList()) + ")");
        }
        if (record instanceof DatabaseBackedUp r) {
            return new Outcome(r.getStep(), true, false, "backup " + r.getBackupId() + " (" + r.getSizeBytes()
                    + " bytes, verified " + r.getVerified() + ")");
        }
        if (record instanceof MigrationApplied r) {
            return new Outcome(r.getStep(), true, false, "applied " + r.getApplied());
        }
        if (record instanceof GreenDeployed r) {
            return new Outcome(r.getStep(), true, false, r.getVersion() + " in slot " + r.getSlot());
        }
        if (record instanceof TrafficShifted r) {
            return new Outcome(r.getStep(), true, false, r.getPercent() + "% on " + r.getSlot());
        }
        if (record instanceof GreenPromoted r) {
            return new Outcome(r.getStep(), true, false, "promoted " + r.getSlot());
        }
        if (record instanceof Decommissioned r) {
            return new Outcome(r.getStep(), true, false, "decommissioned " + r.getSlot());
        }
        if (record instanceof RolledOut r) {
            return new Outcome(r.getStep(), true, false, "rolled out " + r.getVersion());
        }
        if (record instanceof RolloutUndone r) {
            return new Outcome(r.getStep(), true, false, "rollout undone");
        }
        if (record instanceof TrafficRolledBack r) {
            return new Outcome(r.getStep(), true, false, "traffic back on " + r.getSlot());
        }
        if (record instanceof GreenRemoved r) {
            return new Outcome(r.getStep(), true, false, "removed " + r.getSlot());
        }
        if (record instanceof DatabaseRestored r) {
            return new Outcome(r.getStep(), true, false, "restored by " + r.getMethod());
        }
        if (record instanceof StepFailed r) {
            return new Outcome(r.getStep(), false, false, r.getCode() + ": " + r.getReason());
        }
        if (record instanceof HealthCheckPassed r) {
            return new Outcome(r.getStep(), true, false, r.getSummary());
        }
        if (record instanceof ThresholdBreached r) {
            return new Outcome(r.getStep(), false, true, describe(r));
        }
        if (record instanceof RollbackDecided r) {
            return new Outcome(r.getStep(), false, true, r.getReason());
        }
        return null;
    }
}

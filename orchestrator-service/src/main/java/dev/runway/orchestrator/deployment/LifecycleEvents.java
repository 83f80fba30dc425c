package dev.runway.orchestrator.deployment;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;

import dev.runway.events.ApprovalRequested;
import dev.runway.events.DeploymentCancelled;
import dev.runway.events.DeploymentFailed;
import dev.runway.events.DeploymentRolledBack;
import dev.runway.events.DeploymentStarted;
import dev.runway.events.DeploymentSucceeded;
import dev.runway.events.Environment;
import dev.runway.events.EventHeader;
import dev.runway.events.NeedsAttention;
import dev.runway.events.StepCompleted;
import dev.runway.events.StepKind;
import dev.runway.events.StepStarted;
import dev.runway.events.Strategy;
import dev.runway.events.Topics;
import dev.runway.orchestrator.outbox.Outbox;
import dev.runway.orchestrator.saga.Effect;
import dev.runway.orchestrator.saga.participants.Command;
import io.smallrye.mutiny.Uni;

/**
 * The records the orchestrator writes to the outbox, in the caller's transaction: the public
 * lifecycle of a deployment on {@link Topics#DEPLOYMENTS}, built here, and the participants'
 * commands, built by their proxies. Every record gets a fresh header keyed by the deployment.
 */
@ApplicationScoped
public class LifecycleEvents {

    private final Outbox outbox;
    private final Clock clock = Clock.systemUTC();

    public LifecycleEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public EventHeader header(Deployment d, String causationId) {
        return EventHeader.newBuilder().setEventId(UUID.randomUUID().toString()).setDeploymentId(d.id.toString())
                .setEnvironment(Environment.valueOf(d.environment)).setProject(d.project).setClient(d.client)
                .setOccurredAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .setCorrelationId(d.id.toString()).setCausationId(causationId).build();
    }

    /** A lifecycle event (e.g. a recommendation) on the public topic. */
    public Uni<Void> publish(SpecificRecord event) {
        return outbox.add(Topics.DEPLOYMENTS, event).replaceWithVoid();
    }

    /** A participant's command, on that participant's topic. */
    Uni<Void> send(Command command) {
        return outbox.add(command.topic(), command.record()).replaceWithVoid();
    }

    Uni<Void> stepStarted(Deployment d, String step, StepKind kind) {
        return publish(StepStarted.newBuilder().setHeader(header(d, null)).setStep(step).setKind(kind).setAttempt(1).build());
    }

    Uni<Void> stepCompleted(Deployment d, String step, StepKind kind, long durationMs, SagaRunner.Cause cause) {
        return publish(StepCompleted.newBuilder().setHeader(header(d, cause.eventId()))
                .setStep(step).setKind(kind).setDurationMs(durationMs).setDetail(cause.detail()).build());
    }

    Uni<Void> approvalRequested(Deployment d) {
        return publish(ApprovalRequested.newBuilder().setHeader(header(d, null))
                .setVersion(d.version).setRequiredApprovals(d.requiredApprovals)
                .setRequestedBy(d.requestedBy).build());
    }

    Uni<Void> started(Deployment d, List<String> components) {
        return publish(DeploymentStarted.newBuilder().setHeader(header(d, null))
                .setVersion(d.version).setStrategy(Strategy.valueOf(d.strategy))
                .setComponents(components)
                .setFencingToken(d.fencingToken).setDryRun(d.dryRun).build());
    }

    /** The event a saga ends with, by its final state. */
    SpecificRecord ended(Deployment d, Effect.End end, SagaRunner.Cause cause, List<String> components) {
        EventHeader header = header(d, cause.eventId());
        return switch (end.state()) {
            case SUCCEEDED -> DeploymentSucceeded.newBuilder().setHeader(header).setVersion(d.version)
                    .setDurationMs(Duration.between(d.createdAt, d.finishedAt).toMillis()).setComponents(components).build();
            case ROLLED_BACK -> DeploymentRolledBack.newBuilder().setHeader(header).setVersion(d.version)
                    .setReason(end.reason()).setCompensations(end.compensations()).build();
            case CANCELLED -> DeploymentCancelled.newBuilder().setHeader(header).setVersion(d.version)
                    .setCancelledBy(cause.actor()).setReason(end.reason()).build();
            case NEEDS_ATTENTION -> NeedsAttention.newBuilder().setHeader(header).setVersion(d.version)
                    .setReason(end.reason()).setStep(d.currentStep).build();
            default -> DeploymentFailed.newBuilder().setHeader(header).setVersion(d.version)
                    .setReason(end.reason() == null ? "failed" : end.reason()).setFailedStep(d.currentStep).build();
        };
    }
}

package dev.runway.orchestrator.deployment;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

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
import dev.runway.orchestrator.OrchestratorConfig;
import dev.runway.orchestrator.audit.AuditEntry;
import dev.runway.orchestrator.metrics.SagaMetrics;
import dev.runway.orchestrator.outbox.Outbox;
import dev.runway.orchestrator.saga.Action;
import dev.runway.orchestrator.saga.DeploymentState;
import dev.runway.orchestrator.saga.Effect;
import dev.runway.orchestrator.saga.Saga;
import dev.runway.orchestrator.saga.SagaDefinition;
import dev.runway.orchestrator.saga.SagaStep;
import dev.runway.orchestrator.saga.participants.Command;
import dev.runway.orchestrator.saga.participants.ExecutorProxy;
import dev.runway.orchestrator.saga.participants.HealthWatcherProxy;
import dev.runway.orchestrator.saga.participants.ValidatorProxy;
import io.smallrye.mutiny.Uni;

/**
 * Carries out a saga's {@link Effect}s inside the caller's transaction: step rows, audit entries,
 * outbox records (the participants' commands, built by their proxies, and lifecycle events), and the
 * orchestrator's own steps through {@link Gates}. Gates that are already open and local steps
 * complete at once, so one call may move a saga several steps.
 */
@ApplicationScoped
public class SagaRunner {

    /** Who or what caused a transition; {@code detail} describes the outcome of the step it completes. */
    public record Cause(String actor, String eventId, String detail) {
        public static Cause system(String detail) {
            return new Cause("runway", null, detail);
        }
    }

    /** A deployment with its plan and saga, each read from their JSON once. */
    public record Loaded(Deployment deployment, DeploymentPlan plan, Saga saga) {
    }

    private final Outbox outbox;
    private final Gates gates;
    private final ObjectMapper json;
    private final OrchestratorConfig config;
    private final SagaMetrics metrics;
    private final ReleaseEndpoints endpoints;
    private final ValidatorProxy validator;
    private final ExecutorProxy executor;
    private final HealthWatcherProxy healthWatcher;
    private final Clock clock = Clock.systemUTC();

    public SagaRunner(Outbox outbox, Gates gates, ObjectMapper json, OrchestratorConfig config, SagaMetrics metrics,
            ReleaseEndpoints endpoints, ValidatorProxy validator, ExecutorProxy executor, HealthWatcherProxy healthWatcher) {
        this.outbox = outbox;
        this.gates = gates;
        this.json = json;
        this.config = config;
        this.metrics = metrics;
        this.endpoints = endpoints;
        this.validator = validator;
        this.executor = executor;
        this.healthWatcher = healthWatcher;
    }

    public DeploymentPlan plan(Deployment d) {
        try {
            return json.readValue(d.plan, DeploymentPlan.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable plan of deployment " + d.id, e);
        }
    }

    public Loaded load(Deployment d) {
        DeploymentPlan plan = plan(d);
        try {
            SagaDefinition definition = SagaDefinition.of(plan.shape(), config.timeouts().asStepTimeouts());
            return new Loaded(d, plan, new Saga(definition, json.readValue(d.saga, Saga.Snapshot.class)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable saga of deployment " + d.id, e);
        }
    }

    /** Applies the effects, then stores the saga's snapshot on the entity. */
    public Uni<Void> apply(Loaded run, List<Effect> effects, Cause cause) {
        Deque<Effect> queue = new ArrayDeque<>(effects);
        return drain(run, queue, cause).invoke(() -> store(run.deployment(), run.saga()));
    }

    private Uni<Void> drain(Loaded run, Deque<Effect> queue, Cause cause) {
        Effect next = queue.pollFirst();
        if (next == null) {
            return Uni.createFrom().voidItem();
        }
        return handle(run, next, cause).flatMap(more -> {
            queue.addAll(more);
            return drain(run, queue, cause);
        });
    }

    private void store(Deployment d, Saga saga) {
        try {
            d.saga = json.writeValueAsString(saga.snapshot());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        d.state = saga.state();
        d.currentStep = saga.currentStepName();
        d.reason = saga.reason();
        d.updatedAt = clock.instant();
    }

    private Uni<List<Effect>> handle(Loaded run, Effect effect, Cause cause) {
        Deployment d = run.deployment();
        if (effect instanceof Effect.Begin begin) {
            return begin(run, begin);
        }
        if (effect instanceof Effect.Completed done) {
            return completed(d, done, cause).replaceWith(List.of());
        }
        if (effect instanceof Effect.Failed failed) {
            return finishStep(d, failed.step(), failed.kind(), StepStatus.FAILED, failed.reason())
                    .flatMap(x -> audit(d, cause, "step-failed", label(failed.step(), failed.kind()) + ": " + failed.reason()))
                    .replaceWith(List.of());
        }
        if (effect instanceof Effect.Abandon abandon) {
            return abandon(d, abandon.step(), cause).replaceWith(List.of());
        }
        if (effect instanceof Effect.End end) {
            return end(run, end, cause).replaceWith(List.of());
        }
        return audit(d, cause, "ignored", ((Effect.Ignored) effect).why()).replaceWith(List.of());
    }

    private Uni<Void> send(Command command) {
        return outbox.add(command.topic(), command.record()).replaceWithVoid();
    }

    // ---- steps -------------------------------------------------------------------------------

    private Uni<List<Effect>> begin(Loaded run, Effect.Begin begin) {
        Deployment d = run.deployment();
        Saga saga = run.saga();
        SagaStep step = begin.step();
        boolean forward = begin.kind() == StepKind.FORWARD;
        String name = forward ? step.name() : step.compensationName();
        Duration timeout = forward ? step.timeout() : config.timeouts().compensation();
        d.deadlineAt = clock.instant().plus(timeout);
        d.state = forward ? step.action().state() : DeploymentState.COMPENSATING;
        DeploymentStep row = new DeploymentStep();
        row.deploymentId = d.id;
        row.name = name;
        row.kind = begin.kind().name();
        row.status = StepStatus.RUNNING;
        row.startedAt = clock.instant();
        EventHeader header = header(d, null);
        row.commandEventId = header.getEventId();
        Uni<Void> started = row.persist()
                .flatMap(x -> outbox.add(Topics.DEPLOYMENTS, StepStarted.newBuilder().setHeader(header(d, null))
                        .setStep(name).setKind(begin.kind()).setAttempt(1).build()))
                .replaceWithVoid();
        if (!forward) {
            metrics.compensation(d.environment, step.name());
            return started.flatMap(x -> send(executor.compensate(d, run.plan(), step, header))).replaceWith(List.of());
        }
        return started.flatMap(x -> switch (step.action().kind()) {
            case REPLY -> send(validator.validate(d, run.plan(), header)).replaceWith(List.<Effect>of());
            case COMMAND -> send(executor.invoke(d, run.plan(), step, header)).replaceWith(List.<Effect>of());
            case WATCH -> d.dryRun
                    ? Uni.createFrom().item(saga.succeeded(step.name()))
                    : send(healthWatcher.startWatch(d, run.plan(), step, header)).replaceWith(List.<Effect>of());
            case GATE -> (step.action() == Action.APPROVAL && !d.dryRun
                    ? outbox.add(Topics.DEPLOYMENTS, ApprovalRequested.newBuilder().setHeader(header(d, null))
                            .setVersion(d.version).setRequiredApprovals(d.requiredApprovals)
                            .setRequestedBy(d.requestedBy).build()).replaceWithVoid()
                    : Uni.createFrom().voidItem()).flatMap(y -> gate(run, step));
            case LOCAL -> gates.releaseLock(d).replaceWith(saga.succeeded(step.name()));
        });
    }

    /** Re-evaluates the gate the saga is waiting at (approvals given, window opened, lock freed). */
    public Uni<List<Effect>> gate(Loaded run) {
        return gate(run, run.saga().current());
    }

    private Uni<List<Effect>> gate(Loaded run, SagaStep step) {
        Deployment d = run.deployment();
        return gates.open(d, run.plan(), step).flatMap(open -> {
            if (!open) {
                return Uni.createFrom().item(List.<Effect>of());
            }
            Uni<Void> started = step.action() == Action.ACQUIRE_LOCK && !d.dryRun
                    ? outbox.add(Topics.DEPLOYMENTS, DeploymentStarted.newBuilder().setHeader(header(d, null))
                            .setVersion(d.version).setStrategy(Strategy.valueOf(d.strategy))
                            .setComponents(componentNames(run.plan()))
                            .setFencingToken(d.fencingToken).setDryRun(d.dryRun).build()).replaceWithVoid()
                    : Uni.createFrom().voidItem();
            return started.map(x -> run.saga().succeeded(step.name()));
        });
    }

    private Uni<Void> completed(Deployment d, Effect.Completed done, Cause cause) {
        SagaStep step = done.step();
        String name = done.kind() == StepKind.FORWARD ? step.name() : step.compensationName();
        return finishStep(d, step, done.kind(), StepStatus.COMPLETED, cause.detail()).flatMap(row -> {
            long ms = row == null ? 0 : Duration.between(row.startedAt, row.finishedAt).toMillis();
            metrics.step(d.environment, name, done.kind(), ms);
            return outbox.add(Topics.DEPLOYMENTS, StepCompleted.newBuilder().setHeader(header(d, cause.eventId()))
                    .setStep(name).setKind(done.kind()).setDurationMs(ms).setDetail(cause.detail()).build());
        }).replaceWithVoid();
    }

    private Uni<DeploymentStep> finishStep(Deployment d, SagaStep step, StepKind kind, StepStatus status, String detail) {
        String name = kind == StepKind.FORWARD ? step.name() : step.compensationName();
        return DeploymentStep.<DeploymentStep>find("deploymentId = ?1 and name = ?2 and status = ?3 order by id desc",
                d.id, name, StepStatus.RUNNING).firstResult().map(row -> {
                    if (row != null) {
                        row.status = status;
                        row.finishedAt = clock.instant();
                        row.detail = detail;
                    }
                    return row;
                });
    }

    private Uni<Void> abandon(Deployment d, SagaStep step, Cause cause) {
        Uni<Void> stop = step.action().kind() == Action.Kind.WATCH && !d.dryRun
                ? send(healthWatcher.stopWatch(d, step, header(d, cause.eventId())))
                : Uni.createFrom().voidItem();
        return stop.flatMap(x -> finishStep(d, step, StepKind.FORWARD, StepStatus.ABANDONED, "stopped: " + cause.detail()))
                .replaceWithVoid();
    }

    private Uni<Void> end(Loaded run, Effect.End end, Cause cause) {
        Deployment d = run.deployment();
        d.finishedAt = clock.instant();
        d.deadlineAt = null;
        DeploymentState state = end.state();
        metrics.finished(d.environment, state);
        EventHeader header = header(d, cause.eventId());
        List<String> names = componentNames(run.plan());
        SpecificRecord event = switch (state) {
            case SUCCEEDED -> DeploymentSucceeded.newBuilder().setHeader(header).setVersion(d.version)
                    .setDurationMs(Duration.between(d.createdAt, d.finishedAt).toMillis()).setComponents(names).build();
            case ROLLED_BACK -> DeploymentRolledBack.newBuilder().setHeader(header).setVersion(d.version)
                    .setReason(end.reason()).setCompensations(end.compensations()).build();
            case CANCELLED -> DeploymentCancelled.newBuilder().setHeader(header).setVersion(d.version)
                    .setCancelledBy(cause.actor()).setReason(end.reason()).build();
            case NEEDS_ATTENTION -> NeedsAttention.newBuilder().setHeader(header).setVersion(d.version)
                    .setReason(end.reason()).setStep(d.currentStep).build();
            default -> DeploymentFailed.newBuilder().setHeader(header).setVersion(d.version)
                    .setReason(end.reason() == null ? "failed" : end.reason()).setFailedStep(d.currentStep).build();
        };
        Uni<Void> releases = state == DeploymentState.SUCCEEDED && !d.dryRun ? recordReleases(d, names) : Uni.createFrom().voidItem();
        return gates.releaseLock(d)
                .flatMap(x -> releases)
                .flatMap(x -> outbox.add(Topics.DEPLOYMENTS, event))
                .flatMap(x -> audit(d, cause, "ended", state + (end.reason() == null ? "" : ": " + end.reason())));
    }

    private Uni<Void> recordReleases(Deployment d, List<String> components) {
        var released = endpoints.of(d);
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String component : components) {
            chain = chain.flatMap(x -> EnvironmentRelease.<EnvironmentRelease>find(
                    "project = ?1 and environment = ?2 and component = ?3", d.project, d.environment, component)
                    .firstResult().flatMap(existing -> {
                        EnvironmentRelease release = existing == null ? new EnvironmentRelease() : existing;
                        release.project = d.project;
                        release.environment = d.environment;
                        release.front = ReleaseEndpoints.of(released, component).front();
                        release.component = component;
                        release.version = d.version;
                        release.deploymentId = d.id;
                        release.releasedAt = d.finishedAt;
                        return existing == null ? release.persist().replaceWithVoid() : Uni.createFrom().voidItem();
                    }));
        }
        return chain;
    }

    /** The first lifecycle event, with the request as the validator will read it. */
    public Uni<Void> publishRequested(Loaded run) {
        Deployment d = run.deployment();
        return publishLifecycle(d, validator.deployRequested(d, run.plan(), header(d, null)));
    }

    /** A lifecycle event outside a transition (e.g. a recommendation), through the outbox. */
    public Uni<Void> publishLifecycle(Deployment d, SpecificRecord event) {
        return outbox.add(Topics.DEPLOYMENTS, event).replaceWithVoid();
    }

    public Uni<Void> audit(Deployment d, Cause cause, String action, String detail) {
        return AuditEntry.record(d.id, cause.actor(), action, detail, cause.eventId()).replaceWithVoid();
    }

    public EventHeader header(Deployment d, String causationId) {
        return EventHeader.newBuilder().setEventId(UUID.randomUUID().toString()).setDeploymentId(d.id.toString())
                .setEnvironment(Environment.valueOf(d.environment)).setProject(d.project).setClient(d.client)
                .setOccurredAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .setCorrelationId(d.id.toString()).setCausationId(causationId).build();
    }

    private static List<String> componentNames(DeploymentPlan plan) {
        return plan.components().stream().map(DeploymentPlan.ComponentPlan::name).toList();
    }

    private static String label(SagaStep step, StepKind kind) {
        return kind == StepKind.FORWARD ? step.name() : step.compensationName();
    }
}

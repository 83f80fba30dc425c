package dev.runway.orchestrator.deployment;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;

import dev.runway.events.EventHeader;
import dev.runway.events.StepKind;
import dev.runway.orchestrator.OrchestratorConfig;
import dev.runway.orchestrator.decommission.KeptReleases;
import dev.runway.orchestrator.metrics.SagaMetrics;
import dev.runway.orchestrator.saga.Action;
import dev.runway.orchestrator.saga.DeploymentState;
import dev.runway.orchestrator.saga.Effect;
import dev.runway.orchestrator.saga.Saga;
import dev.runway.orchestrator.saga.SagaStep;
import dev.runway.orchestrator.saga.participants.Command;
import dev.runway.orchestrator.saga.participants.ExecutorProxy;
import dev.runway.orchestrator.saga.participants.HealthWatcherProxy;
import dev.runway.orchestrator.saga.participants.ValidatorProxy;
import io.smallrye.mutiny.Uni;

/**
 * Carries out a saga's {@link Effect}s inside the caller's transaction: what each effect means for the
 * step rows and the audit log ({@link SagaStore}), the records to publish ({@link LifecycleEvents};
 * the participants' commands are built by their proxies), and the orchestrator's own steps
 * ({@link Gates}). Gates that are already open and local steps complete at once, so one call may move
 * a saga several steps. Loading, auditing and publishing stay reachable here for the callers that
 * drive a saga (API, replies, watchdog).
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

    private final SagaStore store;
    private final LifecycleEvents events;
    private final Gates gates;
    private final OrchestratorConfig config;
    private final SagaMetrics metrics;
    private final ValidatorProxy validator;
    private final ExecutorProxy executor;
    private final HealthWatcherProxy healthWatcher;
    private final KeptReleases kept;
    private final Clock clock = Clock.systemUTC();

    public SagaRunner(SagaStore store, LifecycleEvents events, Gates gates, OrchestratorConfig config, SagaMetrics metrics,
            ValidatorProxy validator, ExecutorProxy executor, HealthWatcherProxy healthWatcher, KeptReleases kept) {
        this.store = store;
        this.events = events;
        this.gates = gates;
        this.config = config;
        this.metrics = metrics;
        this.validator = validator;
        this.executor = executor;
        this.healthWatcher = healthWatcher;
        this.kept = kept;
    }

    public DeploymentPlan plan(Deployment d) {
        return store.plan(d);
    }

    public Loaded load(Deployment d) {
        return store.load(d);
    }

    /** Applies the effects, then stores the saga's snapshot on the entity. */
    public Uni<Void> apply(Loaded run, List<Effect> effects, Cause cause) {
        Deque<Effect> queue = new ArrayDeque<>(effects);
        return drain(run, queue, cause).invoke(() -> store.store(run.deployment(), run.saga()));
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
        return events.send(command);
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
        EventHeader header = header(d, null);
        Uni<Void> started = store.stepStarted(d, name, begin.kind(), header.getEventId())
                .flatMap(x -> events.stepStarted(d, name, begin.kind()));
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
                    ? events.approvalRequested(d)
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
                    ? events.started(d, componentNames(run.plan()))
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
            return events.stepCompleted(d, name, done.kind(), ms, cause);
        });
    }

    private Uni<DeploymentStep> finishStep(Deployment d, SagaStep step, StepKind kind, StepStatus status, String detail) {
        return store.stepFinished(d, label(step, kind), status, detail);
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
        List<String> names = componentNames(run.plan());
        SpecificRecord event = events.ended(d, end, cause, names);
        // The replaced release is kept (its versions read before this deployment's become the live ones).
        Uni<Void> releases = state == DeploymentState.SUCCEEDED && !d.dryRun
                ? kept.schedule(d, run.plan()).flatMap(x -> store.recordReleases(d, names)) : Uni.createFrom().voidItem();
        return gates.releaseLock(d)
                .flatMap(x -> releases)
                .flatMap(x -> events.publish(event))
                .flatMap(x -> audit(d, cause, "ended", state + (end.reason() == null ? "" : ": " + end.reason())));
    }

    /** The first lifecycle event: the request as the validator will read it, less the scan report. */
    public Uni<Void> publishRequested(Loaded run) {
        Deployment d = run.deployment();
        return publishLifecycle(d, validator.publicRequested(d, run.plan(), header(d, null)));
    }

    /** A lifecycle event outside a transition (e.g. a recommendation), through the outbox. */
    public Uni<Void> publishLifecycle(Deployment d, SpecificRecord event) {
        return events.publish(event);
    }

    public Uni<Void> audit(Deployment d, Cause cause, String action, String detail) {
        return store.audit(d, cause, action, detail);
    }

    public EventHeader header(Deployment d, String causationId) {
        return events.header(d, causationId);
    }

    private static List<String> componentNames(DeploymentPlan plan) {
        return plan.components().stream().map(DeploymentPlan.ComponentPlan::name).toList();
    }

    private static String label(SagaStep step, StepKind kind) {
        return kind == StepKind.FORWARD ? step.name() : step.compensationName();
    }
}

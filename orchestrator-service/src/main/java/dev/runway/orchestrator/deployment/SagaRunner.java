package dev.runway.orchestrator.deployment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.runway.events.*;
import dev.runway.orchestrator.OrchestratorConfig;
import dev.runway.orchestrator.audit.AuditEntry;
import dev.runway.orchestrator.lock.EnvironmentLock;
import dev.runway.orchestrator.metrics.SagaMetrics;
import dev.runway.orchestrator.outbox.Outbox;
import dev.runway.orchestrator.saga.Action;
import dev.runway.orchestrator.saga.DeploymentState;
import dev.runway.orchestrator.saga.Effect;
import dev.runway.orchestrator.saga.Saga;
import dev.runway.orchestrator.saga.SagaDefinition;
import dev.runway.orchestrator.saga.SagaStep;
import io.smallrye.mutiny.Uni;

/**
 * Carries out a saga's {@link Effect}s inside the caller's transaction: step rows, audit entries,
 * outbox records (commands and lifecycle events), gates and the environment lock. Gates that are
 * already open and local steps complete at once, so one call may move a saga several steps.
 */
@ApplicationScoped
public class SagaRunner {

    /** Who or what caused a transition; {@code detail} describes the outcome of the step it completes. */
    public record Cause(String actor, String eventId, String detail) {
        public static Cause system(String detail) {
            return new Cause("runway", null, detail);
        }
    }

    private final Outbox outbox;
    private final EnvironmentLock lock;
    private final ObjectMapper json;
    private final OrchestratorConfig config;
    private final SagaMetrics metrics;
    private final Clock clock = Clock.systemUTC();

    public SagaRunner(Outbox outbox, EnvironmentLock lock, ObjectMapper json, OrchestratorConfig config, SagaMetrics metrics) {
        this.outbox = outbox;
        this.lock = lock;
        this.json = json;
        this.config = config;
        this.metrics = metrics;
    }

    public DeploymentPlan plan(Deployment d) {
        try {
            return json.readValue(d.plan, DeploymentPlan.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable plan of deployment " + d.id, e);
        }
    }

    public Saga saga(Deployment d) {
        try {
            SagaDefinition definition = SagaDefinition.of(plan(d).shape(), config.timeouts().asStepTimeouts());
            return new Saga(definition, json.readValue(d.saga, Saga.Snapshot.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable saga of deployment " + d.id, e);
        }
    }

    /** Applies the effects, then stores the saga's snapshot on the entity. */
    public Uni<Void> apply(Deployment d, Saga saga, List<Effect> effects, Cause cause) {
        Deque<Effect> queue = new ArrayDeque<>(effects);
        return drain(d, saga, queue, cause).invoke(() -> store(d, saga));
    }

    private Uni<Void> drain(Deployment d, Saga saga, Deque<Effect> queue, Cause cause) {
        Effect next = queue.pollFirst();
        if (next == null) {
            return Uni.createFrom().voidItem();
        }
        return handle(d, saga, next, cause).flatMap(more -> {
            queue.addAll(more);
            return drain(d, saga, queue, cause);
        });
    }

    private void store(Deployment d, Saga saga) {
        try {
            d.saga = json.writeValueAsString(saga.snapshot());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        d.state = saga.state().name();
        d.currentStep = saga.currentStepName();
        d.reason = saga.reason();
        d.updatedAt = clock.instant();
    }

    private Uni<List<Effect>> handle(Deployment d, Saga saga, Effect effect, Cause cause) {
        if (effect instanceof Effect.Begin begin) {
            return begin(d, saga, begin);
        }
        if (effect instanceof Effect.Completed done) {
            return completed(d, done, cause).replaceWith(List.of());
        }
        if (effect instanceof Effect.Failed failed) {
            return finishStep(d, failed.step(), failed.kind(), "FAILED", failed.reason())
                    .flatMap(x -> audit(d, cause, "step-failed", label(failed.step(), failed.kind()) + ": " + failed.reason()))
                    .replaceWith(List.of());
        }
        if (effect instanceof Effect.Abandon abandon) {
            return abandon(d, abandon.step(), cause).replaceWith(List.of());
        }
        if (effect instanceof Effect.End end) {
            return end(d, saga, end, cause).replaceWith(List.of());
        }
        return audit(d, cause, "ignored", ((Effect.Ignored) effect).why()).replaceWith(List.of());
    }

    // ---- steps -------------------------------------------------------------------------------

    private Uni<List<Effect>> begin(Deployment d, Saga saga, Effect.Begin begin) {
        SagaStep step = begin.step();
        boolean forward = begin.kind() == StepKind.FORWARD;
        String name = forward ? step.name() : step.compensationName();
        Duration timeout = forward ? step.timeout() : config.timeouts().compensation();
        d.deadlineAt = clock.instant().plus(timeout);
        d.state = forward ? step.action().state().name() : DeploymentState.COMPENSATING.name();
        DeploymentStep row = new DeploymentStep();
        row.deploymentId = d.id;
        row.name = name;
        row.kind = begin.kind().name();
        row.status = "RUNNING";
        row.startedAt = clock.instant();
        EventHeader header = header(d, null);
        row.commandEventId = header.getEventId();
        Uni<Void> started = row.persist()
                .flatMap(x -> outbox.add(Topics.DEPLOYMENTS, StepStarted.newBuilder().setHeader(header(d, null))
                        .setStep(name).setKind(begin.kind()).setAttempt(1).build()))
                .replaceWithVoid();
        if (!forward) {
            metrics.compensation(d.environment, step.name());
            return started.flatMap(x -> outbox.add(Topics.EXECUTOR_COMMANDS, compensation(d, step, header)))
                    .replaceWith(List.of());
        }
        return started.flatMap(x -> switch (step.action().kind()) {
            case REPLY -> outbox.add(Topics.VALIDATION_REQUESTS, deployRequested(d, header)).replaceWith(List.<Effect>of());
            case COMMAND -> outbox.add(Topics.EXECUTOR_COMMANDS, command(d, step, header)).replaceWith(List.<Effect>of());
            case WATCH -> d.dryRun
                    ? Uni.createFrom().item(saga.succeeded(step.name()))
                    : outbox.add(Topics.HEALTH_COMMANDS, startWatch(d, step, header)).replaceWith(List.<Effect>of());
            case GATE -> (step.action() == Action.APPROVAL && !d.dryRun
                    ? outbox.add(Topics.DEPLOYMENTS, ApprovalRequested.newBuilder().setHeader(header(d, null))
                            .setVersion(d.version).setRequiredApprovals(d.requiredApprovals)
                            .setRequestedBy(d.requestedBy).build()).replaceWithVoid()
                    : Uni.createFrom().voidItem()).flatMap(y -> gate(d, saga, step));
            case LOCAL -> releaseLock(d).replaceWith(saga.succeeded(step.name()));
        });
    }

    /** Re-evaluates a gate the saga is waiting at (approvals given, window opened, lock freed). */
    public Uni<List<Effect>> gate(Deployment d, Saga saga, SagaStep step) {
        Instant now = clock.instant();
        return switch (step.action()) {
            case APPROVAL -> d.dryRun ? Uni.createFrom().item(saga.succeeded(step.name()))
                    : Approval.count("deploymentId", d.id).flatMap(given -> {
                        if (given >= d.requiredApprovals) {
                            return Uni.createFrom().item(saga.succeeded(step.name()));
                        }
                        return Uni.createFrom().item(List.<Effect>of());
                    });
            case WINDOW -> {
                DeploymentPlan plan = plan(d);
                boolean open = d.dryRun || d.windowOverride || plan.window() == null || plan.window().isOpen(now);
                yield Uni.createFrom().item(open ? saga.succeeded(step.name()) : List.<Effect>of());
            }
            case ACQUIRE_LOCK -> d.dryRun ? Uni.createFrom().item(saga.succeeded(step.name())) : acquire(d, saga, step);
            default -> throw new IllegalStateException("not a gate: " + step.action());
        };
    }

    private Uni<List<Effect>> acquire(Deployment d, Saga saga, SagaStep step) {
        Environment env = Environment.valueOf(d.environment);
        return tokenFloor(d.project, d.environment)
                .flatMap(floor -> lock.enqueue(d.project, env, d.id.toString(), d.createdAt.toEpochMilli())
                        .flatMap(x -> lock.tryAcquire(d.project, env, d.id.toString(), floor)))
                .flatMap(token -> {
                    if (token.isEmpty()) {
                        return clearDeadHead(env, d).replaceWith(List.<Effect>of());
                    }
                    d.fencingToken = token.get();
                    d.lockHeld = true;
                    d.startedAt = clock.instant();
                    metrics.lockWait(d.environment, Duration.between(d.createdAt, d.startedAt));
                    DeploymentPlan plan = plan(d);
                    return outbox.add(Topics.DEPLOYMENTS, DeploymentStarted.newBuilder().setHeader(header(d, null))
                                    .setVersion(d.version).setStrategy(Strategy.valueOf(d.strategy))
                                    .setComponents(plan.components().stream().map(DeploymentPlan.ComponentPlan::name).toList())
                                    .setFencingToken(token.get()).setDryRun(d.dryRun).build())
                            .replaceWith(saga.succeeded(step.name()));
                });
    }

    /**
     * A queue head that is not a live deployment (it ended while Redis missed the dequeue, or its
     * row is gone) would block the project environment forever: drop it; the next pass lets the queue move.
     */
    private Uni<Void> clearDeadHead(Environment env, Deployment waiting) {
        return lock.queue(waiting.project, env).flatMap(queue -> {
            if (queue.isEmpty() || queue.get(0).equals(waiting.id.toString())) {
                return Uni.createFrom().voidItem();
            }
            String head = queue.get(0);
            UUID headId;
            try {
                headId = UUID.fromString(head);
            } catch (IllegalArgumentException e) {
                return lock.dequeue(waiting.project, env, head);
            }
            return Deployment.<Deployment>findById(headId).flatMap(found -> found == null || found.finishedAt != null
                    ? lock.dequeue(waiting.project, env, head)
                    : Uni.createFrom().voidItem());
        });
    }

    /** Highest token Postgres has seen for the project environment: Redis never goes below it. */
    private Uni<Long> tokenFloor(String project, String environment) {
        return Deployment.<Deployment>find("project = ?1 and environment = ?2 and fencingToken is not null "
                + "order by fencingToken desc", project, environment).firstResult()
                .map(top -> top == null ? 0L : top.fencingToken);
    }

    private Uni<Void> releaseLock(Deployment d) {
        Environment env = Environment.valueOf(d.environment);
        if (!d.lockHeld) {
            return lock.dequeue(d.project, env, d.id.toString());
        }
        d.lockHeld = false;
        return lock.release(d.project, env, d.id.toString(), d.fencingToken).replaceWithVoid();
    }

    private Uni<Void> completed(Deployment d, Effect.Completed done, Cause cause) {
        SagaStep step = done.step();
        String name = done.kind() == StepKind.FORWARD ? step.name() : step.compensationName();
        return finishStep(d, step, done.kind(), "COMPLETED", cause.detail()).flatMap(row -> {
            long ms = row == null ? 0 : Duration.between(row.startedAt, row.finishedAt).toMillis();
            metrics.step(d.environment, name, done.kind(), ms);
            return outbox.add(Topics.DEPLOYMENTS, StepCompleted.newBuilder().setHeader(header(d, cause.eventId()))
                    .setStep(name).setKind(done.kind()).setDurationMs(ms).setDetail(cause.detail()).build());
        }).replaceWithVoid();
    }

    private Uni<DeploymentStep> finishStep(Deployment d, SagaStep step, StepKind kind, String status, String detail) {
        String name = kind == StepKind.FORWARD ? step.name() : step.compensationName();
        return DeploymentStep.<DeploymentStep>find("deploymentId = ?1 and name = ?2 and status = 'RUNNING' order by id desc",
                d.id, name).firstResult().map(row -> {
                    if (row != null) {
                        row.status = status;
                        row.finishedAt = clock.instant();
                        row.detail = detail;
                    }
                    return row;
                });
    }

    private Uni<Void> abandon(Deployment d, SagaStep step, Cause cause) {
        Uni<?> stop = step.action().kind() == Action.Kind.WATCH && !d.dryRun
                ? outbox.add(Topics.HEALTH_COMMANDS, StopWatch.newBuilder().setHeader(header(d, cause.eventId()))
                        .setWatchId(watchId(d, step)).setReason("deployment is being stopped").build())
                : Uni.createFrom().voidItem();
        return stop.flatMap(x -> finishStep(d, step, StepKind.FORWARD, "ABANDONED", "stopped: " + cause.detail()))
                .replaceWithVoid();
    }

    private Uni<Void> end(Deployment d, Saga saga, Effect.End end, Cause cause) {
        d.finishedAt = clock.instant();
        d.deadlineAt = null;
        DeploymentState state = end.state();
        metrics.finished(d.environment, state);
        EventHeader header = header(d, cause.eventId());
        DeploymentPlan plan = plan(d);
        List<String> names = plan.components().stream().map(DeploymentPlan.ComponentPlan::name).toList();
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
        return releaseLock(d)
                .flatMap(x -> releases)
                .flatMap(x -> outbox.add(Topics.DEPLOYMENTS, event))
                .flatMap(x -> audit(d, cause, "ended", state + (end.reason() == null ? "" : ": " + end.reason())));
    }

    private Uni<Void> recordReleases(Deployment d, List<String> components) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String component : components) {
            chain = chain.flatMap(x -> EnvironmentRelease.<EnvironmentRelease>find(
                    "project = ?1 and environment = ?2 and component = ?3", d.project, d.environment, component)
                    .firstResult().flatMap(existing -> {
                        EnvironmentRelease release = existing == null ? new EnvironmentRelease() : existing;
                        release.project = d.project;
                        release.environment = d.environment;
                        release.front = endpoint(d, component).front();
                        release.component = component;
                        release.version = d.version;
                        release.deploymentId = d.id;
                        release.releasedAt = d.finishedAt;
                        return existing == null ? release.persist().replaceWithVoid() : Uni.createFrom().voidItem();
                    }));
        }
        return chain;
    }

    /** A lifecycle event outside a transition (e.g. a recommendation), through the outbox. */
    public Uni<Void> publishLifecycle(Deployment d, SpecificRecord event) {
        return outbox.add(Topics.DEPLOYMENTS, event).replaceWithVoid();
    }

    public Uni<Void> audit(Deployment d, Cause cause, String action, String detail) {
        return AuditEntry.record(d.id, cause.actor(), action, detail, cause.eventId()).replaceWithVoid();
    }

    // ---- records -------------------------------------------------------------------------------

    public EventHeader header(Deployment d, String causationId) {
        return EventHeader.newBuilder().setEventId(UUID.randomUUID().toString()).setDeploymentId(d.id.toString())
                .setEnvironment(Environment.valueOf(d.environment)).setProject(d.project).setClient(d.client)
                .setOccurredAt(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS))
                .setCorrelationId(d.id.toString()).setCausationId(causationId).build();
    }

    /** The deployment's repository at its exact commit, or null when it was requested with a manifest only. */
    private static RepositoryRef repository(Deployment d) {
        return d.repositoryUrl == null ? null
                : RepositoryRef.newBuilder().setUrl(d.repositoryUrl).setCommit(d.repositoryCommit).setRef(d.repositoryRef).build();
    }

    public DeployRequested deployRequested(Deployment d, EventHeader header) {
        DeploymentPlan plan = plan(d);
        RepositoryRef repository = repository(d);
        return DeployRequested.newBuilder().setHeader(header).setVersion(d.version)
                .setComponents(plan.components().stream().map(DeploymentPlan.ComponentPlan::name).toList())
                .setStrategy(Strategy.valueOf(d.strategy)).setDryRun(d.dryRun).setRequestedBy(d.requestedBy)
                .setManifest(d.manifest).setRepository(repository).setCiEvidence(d.ciEvidence).setScanReport(d.scanReport)
                .build();
    }

    private long token(Deployment d) {
        return d.fencingToken == null ? 0L : d.fencingToken;
    }

    private SpecificRecord command(Deployment d, SagaStep step, EventHeader header) {
        DeploymentPlan plan = plan(d);
        List<String> names = plan.components().stream().map(DeploymentPlan.ComponentPlan::name).toList();
        TargetKind target = TargetKind.valueOf(plan.target());
        return switch (step.action()) {
            case BACKUP_DATABASE -> BackupDatabase.newBuilder().setHeader(header).setStep(step.name())
                    .setFencingToken(token(d)).setDryRun(d.dryRun).build();
            case APPLY_MIGRATIONS -> ApplyMigrations.newBuilder().setHeader(header).setStep(step.name())
                    .setFencingToken(token(d)).setDryRun(d.dryRun)
                    .setRepository(repository(d))
                    .setMigrationsPath(plan.migrationsPath() == null ? "database/migrations" : plan.migrationsPath()).build();
            case DEPLOY_GREEN -> DeployGreen.newBuilder().setHeader(header).setStep(step.name()).setFencingToken(token(d))
                    .setDryRun(d.dryRun).setVersion(d.version).setTarget(target).setStrategy(Strategy.valueOf(d.strategy))
                    .setComponents(specs(plan)).setRepository(repository(d)).build();
            case ROLL_OUT -> RollOut.newBuilder().setHeader(header).setStep(step.name()).setFencingToken(token(d))
                    .setDryRun(d.dryRun).setVersion(d.version).setTarget(target).setComponents(specs(plan))
                    .setMaxSurge("25%").setMaxUnavailable("0").setRepository(repository(d)).build();
            case SHIFT_TRAFFIC -> ShiftTraffic.newBuilder().setHeader(header).setStep(step.name()).setFencingToken(token(d))
                    .setDryRun(d.dryRun).setVersion(d.version).setPercent(step.percent()).setComponents(names).build();
            default -> throw new IllegalStateException("not a command step: " + step.action());
        };
    }

    private SpecificRecord compensation(Deployment d, SagaStep step, EventHeader header) {
        List<String> names = plan(d).components().stream().map(DeploymentPlan.ComponentPlan::name).toList();
        String name = step.compensationName();
        return switch (step.compensation()) {
            case REMOVE_GREEN -> RemoveGreen.newBuilder().setHeader(header).setStep(name).setFencingToken(token(d))
                    .setDryRun(d.dryRun).setComponents(names).build();
            case UNDO_ROLLOUT -> UndoRollout.newBuilder().setHeader(header).setStep(name).setFencingToken(token(d))
                    .setDryRun(d.dryRun).setComponents(names).build();
            case ROLLBACK_TRAFFIC -> RollbackTraffic.newBuilder().setHeader(header).setStep(name).setFencingToken(token(d))
                    .setDryRun(d.dryRun).setComponents(names).build();
            case RESTORE_DATABASE -> RestoreDatabase.newBuilder().setHeader(header).setStep(name).setFencingToken(token(d))
                    .setDryRun(d.dryRun).setBackupId(d.backupId)
                    .setMigrations(d.appliedMigrations == null || d.appliedMigrations.isBlank() ? List.of()
                            : List.of(d.appliedMigrations.split(",")))
                    .setPreferDownMigrations(true).build();
            case NONE -> throw new IllegalStateException(step.name() + " has no compensation");
        };
    }

    private static List<ComponentSpec> specs(DeploymentPlan plan) {
        return plan.components().stream().map(c -> ComponentSpec.newBuilder().setName(c.name()).setImage(c.image())
                .setArtifact(c.artifact()).setPort(c.port()).setHealthcheck(c.healthcheck()).setReplicas(c.replicas())
                .setCpu(c.cpu()).setMemory(c.memory()).build()).toList();
    }

    public String watchId(Deployment d, SagaStep step) {
        return d.id + ":" + step.name();
    }

    private StartWatch startWatch(Deployment d, SagaStep step, EventHeader header) {
        DeploymentPlan plan = plan(d);
        WatchPhase phase = switch (step.action()) {
            case VERIFY -> WatchPhase.VERIFY_GREEN;
            case WATCH_CANARY -> WatchPhase.CANARY_STEP;
            default -> WatchPhase.POST_DEPLOY;
        };
        int window = switch (phase) {
            case VERIFY_GREEN -> plan.shape().verifySeconds();
            case CANARY_STEP -> plan.shape().canaryPauseSeconds();
            case POST_DEPLOY -> plan.shape().monitoringWindowSeconds();
        };
        DeploymentPlan.Thresholds t = plan.thresholds();
        Thresholds thresholds = Thresholds.newBuilder().setErrorRatePercent(t.errorRatePercent())
                .setLatencyP99Ms(t.latencyP99Ms()).setLatencyP95Ms(t.latencyP95Ms())
                .setSustainedSeconds(t.sustainedSeconds()).setBaselineDegradationPercent(50.0).build();
        List<WatchTarget> targets = plan.components().stream().map(c -> WatchTarget.newBuilder().setComponent(c.name())
                .setMetricsUrl(url(config.watch().metricsUrlTemplate(), d, c))
                .setHealthUrl(url(config.watch().healthUrlTemplate(), d, c))
                .setBaselineMetricsUrl(url(config.watch().baselineMetricsUrlTemplate(), d, c))
                .setPrometheusQuery(null).build()).toList();
        return StartWatch.newBuilder().setHeader(header).setWatchId(watchId(d, step)).setStep(step.name())
                .setVersion(d.version).setPhase(phase).setTrafficPercent(step.percent()).setWindowSeconds(window)
                .setThresholds(thresholds).setTargets(targets).build();
    }

    /**
     * Where a component's new and serving releases answer, and the project environment's own front for it,
     * as the executor reported in GreenDeployed.
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Endpoint(String url, String baselineUrl, String front) {
    }

    public void recordEndpoints(Deployment d, List<ReleaseEndpoint> endpoints) {
        java.util.Map<String, Endpoint> byComponent = new java.util.TreeMap<>();
        endpoints.forEach(e -> byComponent.put(e.getComponent(), new Endpoint(e.getUrl(), e.getBaselineUrl(), e.getFront())));
        try {
            d.releaseEndpoints = json.writeValueAsString(byComponent);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("endpoints not serialisable", e);
        }
    }

    private Endpoint endpoint(Deployment d, String component) {
        if (d.releaseEndpoints == null) {
            return new Endpoint(null, null, null);
        }
        try {
            Endpoint e = json.readValue(d.releaseEndpoints, new TypeReference<java.util.Map<String, Endpoint>>() {
            }).get(component);
            return e == null ? new Endpoint(null, null, null) : e;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored endpoints unreadable for " + d.id, e);
        }
    }

    /**
     * A watch URL from its template. {@code {endpoint}} / {@code {baselineEndpoint}} are the release URLs the executor
     * reported; a template that needs one the executor did not report gives no URL (the watcher then has no such source).
     */
    String url(java.util.Optional<String> template, Deployment d, DeploymentPlan.ComponentPlan c) {
        if (template.isEmpty()) {
            return null;
        }
        String t = template.get();
        Endpoint e = endpoint(d, c.name());
        if (t.contains("{endpoint}") && e.url() == null || t.contains("{baselineEndpoint}") && e.baselineUrl() == null) {
            return null;
        }
        return t.replace("{endpoint}", e.url() == null ? "" : e.url())
                .replace("{baselineEndpoint}", e.baselineUrl() == null ? "" : e.baselineUrl())
                .replace("{component}", c.name())
                .replace("{environment}", d.environment.toLowerCase(java.util.Locale.ROOT)).replace("{project}", d.project)
                .replace("{version}", d.version).replace("{port}", c.port() == null ? "" : c.port().toString())
                .replace("{healthcheck}", c.healthcheck() == null ? "/health" : c.healthcheck());
    }

    private static String label(SagaStep step, StepKind kind) {
        return kind == StepKind.FORWARD ? step.name() : step.compensationName();
    }
}

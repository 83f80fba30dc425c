package dev.runway.orchestrator.deployment;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.OptimisticLockException;

import dev.runway.access.ProjectScope;
import dev.runway.events.ApprovalGranted;
import dev.runway.events.Environment;
import dev.runway.events.Topics;
import dev.runway.orchestrator.api.Access;
import dev.runway.orchestrator.api.DeploymentRequest;
import dev.runway.orchestrator.api.ProblemException;
import dev.runway.orchestrator.metrics.SagaMetrics;
import dev.runway.orchestrator.outbox.Outbox;
import dev.runway.orchestrator.outbox.OutboxRelay;
import dev.runway.orchestrator.project.ProjectRegistry;
import dev.runway.orchestrator.saga.Action;
import dev.runway.orchestrator.saga.DeploymentState;
import dev.runway.orchestrator.saga.Effect;
import dev.runway.orchestrator.saga.Saga;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The API's use cases, each in its transactions: request, approve, override a window, cancel and roll
 * back deployments. What a request becomes is {@link DeploymentPlanner}'s; moving the saga, {@link SagaRunner}'s.
 */
@ApplicationScoped
public class DeploymentService {

    /** A request's outcome: the deployment, and whether this call created it (else: idempotent replay). */
    public record Requested(Deployment deployment, boolean created) {
    }

    private final SagaRunner runner;
    private final DeploymentPlanner planner;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final SagaWatchdog watchdog;
    private final SagaMetrics metrics;
    private final ProjectRegistry projects;

    public DeploymentService(SagaRunner runner, DeploymentPlanner planner, Outbox outbox, OutboxRelay relay,
            SagaWatchdog watchdog, SagaMetrics metrics, ProjectRegistry projects) {
        this.projects = projects;
        this.runner = runner;
        this.planner = planner;
        this.outbox = outbox;
        this.relay = relay;
        this.watchdog = watchdog;
        this.metrics = metrics;
    }

    // ---- request ------------------------------------------------------------------------------

    /**
     * Registers the project (or finds it), settles its client (the manifest's, else the registered one) and
     * only then checks the caller's scope, so a token of another client is refused with the project named.
     */
    public Uni<Requested> request(DeploymentRequest request, String idempotencyKey, String actor, ProjectScope scope) {
        Deployment draft = planner.draft(request, actor);
        String manifestClient = draft.client;
        draft.idempotencyKey = idempotencyKey;
        draft.requestHash = planner.hash(request);
        return Panache.withTransaction(() -> idempotencyKey == null ? register(draft, manifestClient, scope)
                        : Deployment.<Deployment>find("idempotencyKey", idempotencyKey).firstResult()
                                .flatMap(existing -> existing == null ? register(draft, manifestClient, scope)
                                        : replay(existing, draft, scope)))
                // Two requests with one new key at once: the loser's insert fails; it then finds the winner.
                .onFailure(f -> idempotencyKey != null && !(f instanceof ProblemException)).recoverWithUni(() -> Panache.withSession(
                        () -> Deployment.<Deployment>find("idempotencyKey", idempotencyKey).firstResult()
                                .flatMap(existing -> existing == null
                                        ? Uni.createFrom().failure(ProblemException.conflict("concurrent request, retry"))
                                        : replay(existing, draft, scope))))
                .invoke(r -> {
                    if (r.created()) {
                        metrics.requested(r.deployment().environment);
                        relay.kick();
                        watchdog.soon();
                    }
                });
    }

    private Uni<Requested> register(Deployment draft, String manifestClient, ProjectScope scope) {
        return projects.register(draft.project, manifestClient).flatMap(project -> {
            draft.client = project.client;
            Access.require(scope, draft.client, draft.project);
            return start(draft);
        });
    }

    private Uni<Requested> replay(Deployment existing, Deployment draft, ProjectScope scope) {
        Access.require(scope, existing.client, existing.project);
        if (!existing.requestHash.equals(draft.requestHash)) {
            return Uni.createFrom().failure(ProblemException.conflict(
                    "Idempotency-Key already used for a different request (deployment " + existing.id + ")"));
        }
        return Uni.createFrom().item(new Requested(existing, false));
    }

    private Uni<Requested> start(Deployment d) {
        SagaRunner.Loaded run = runner.load(d);
        List<Effect> effects = run.saga().begin();
        SagaRunner.Cause cause = new SagaRunner.Cause(d.requestedBy, null, null);
        return d.<Deployment>persist()
                .flatMap(x -> runner.publishRequested(run))
                .flatMap(x -> runner.audit(d, cause, "requested", d.project + " " + d.version + " to "
                        + d.environment.toLowerCase(Locale.ROOT) + " (" + d.strategy + (d.dryRun ? ", dry run" : "") + ")"))
                .flatMap(x -> runner.apply(run, effects, cause))
                .replaceWith(new Requested(d, true));
    }

    // ---- people acting on a running saga --------------------------------------------------------

    public Uni<Deployment> approve(UUID id, String approver, String comment, ProjectScope scope) {
        return onRunning(id, scope, d -> {
            if (approver.equals(d.requestedBy)) {
                return Uni.createFrom().failure(ProblemException.forbidden("the requester cannot approve their own deployment"));
            }
            if (d.requiredApprovals == 0) {
                return Uni.createFrom().failure(ProblemException.conflict("this deployment needs no approval"));
            }
            return Approval.<Approval>find("deploymentId = ?1 and approver = ?2", d.id, approver).firstResult()
                    .flatMap(existing -> {
                        if (existing != null) {
                            return Uni.createFrom().<Deployment>failure(ProblemException.conflict(
                                    approver + " already approved; approvals must come from distinct identities"));
                        }
                        Approval approval = new Approval();
                        approval.deploymentId = d.id;
                        approval.approver = approver;
                        approval.approvedAt = Instant.now();
                        approval.comment = comment;
                        SagaRunner.Cause cause = new SagaRunner.Cause(approver, null, "approved by " + approver);
                        return approval.persist()
                                .flatMap(x -> Approval.count("deploymentId", d.id))
                                .flatMap(given -> outbox.add(Topics.DEPLOYMENTS, ApprovalGranted.newBuilder()
                                        .setHeader(runner.header(d, null)).setApprover(approver)
                                        .setApprovalsGiven(given.intValue()).setApprovalsRequired(d.requiredApprovals)
                                        .setComment(comment).build()))
                                .flatMap(x -> runner.audit(d, cause, "approved", comment))
                                .flatMap(x -> reopenGate(d, cause));
                    });
        });
    }

    public Uni<Deployment> overrideWindow(UUID id, String actor, String reason, ProjectScope scope) {
        return onRunning(id, scope, d -> {
            d.windowOverride = true;
            SagaRunner.Cause cause = new SagaRunner.Cause(actor, null, "window overridden by " + actor);
            return runner.audit(d, cause, "window-override", reason).flatMap(x -> reopenGate(d, cause));
        });
    }

    private Uni<Deployment> reopenGate(Deployment d, SagaRunner.Cause cause) {
        SagaRunner.Loaded run = runner.load(d);
        Saga saga = run.saga();
        if (saga.phase() != Saga.Phase.FORWARD || saga.current().action().kind() != Action.Kind.GATE) {
            return Uni.createFrom().item(d);
        }
        return runner.gate(run).flatMap(effects -> runner.apply(run, effects, cause)).replaceWith(d);
    }

    public Uni<Deployment> cancel(UUID id, String actor, String reason, ProjectScope scope) {
        return abort(id, Saga.Abort.CANCEL, actor, reason, scope);
    }

    public Uni<Deployment> rollback(UUID id, String actor, String reason, ProjectScope scope) {
        return abort(id, Saga.Abort.MANUAL_ROLLBACK, actor, reason, scope);
    }

    private Uni<Deployment> abort(UUID id, Saga.Abort kind, String actor, String reason, ProjectScope scope) {
        return onRunning(id, scope, d -> {
            SagaRunner.Loaded run = runner.load(d);
            Saga saga = run.saga();
            String why = (reason == null || reason.isBlank() ? "" : reason + " ") + "(by " + actor + ")";
            List<Effect> effects = saga.abort(kind, saga.currentStepName(), why);
            if (effects.size() == 1 && effects.get(0) instanceof Effect.Ignored ignored) {
                return Uni.createFrom().failure(ProblemException.conflict(ignored.why()));
            }
            SagaRunner.Cause cause = new SagaRunner.Cause(actor, null, why);
            return runner.audit(d, cause, kind.name().toLowerCase(Locale.ROOT).replace('_', '-'), why)
                    .flatMap(x -> runner.apply(run, effects, cause)).replaceWith(d);
        });
    }

    /**
     * sop.md 000-10.1 "rollback previous" of one project environment: redeploy the version that was live
     * before the current one. Unknown project: 404; a project the scope does not cover: 403.
     */
    public Uni<Requested> rollbackEnvironment(Environment env, String project, String actor, String reason, ProjectScope scope) {
        return Panache.withSession(() -> projects.require(project).invoke(p -> Access.require(scope, p.client, p.name))
                        .flatMap(p -> Deployment.<Deployment>find("environment = ?1 and project = ?2 and state = ?3 "
                                        + "and dryRun = false order by finishedAt desc", env.name(), project, DeploymentState.SUCCEEDED)
                                .page(0, 50).list()))
                .flatMap(done -> {
                    if (done.isEmpty()) {
                        return Uni.createFrom().failure(ProblemException.conflict(project + " was never deployed to " + env));
                    }
                    String live = done.get(0).version;
                    Deployment previous = done.stream().filter(d -> !d.version.equals(live)).findFirst().orElse(null);
                    if (previous == null) {
                        return Uni.createFrom().failure(ProblemException.conflict(
                                "no earlier version than " + live + " was deployed to " + env));
                    }
                    return Panache.withTransaction(() -> {
                        Deployment d = planner.rollbackTo(previous, actor);
                        return start(d).flatMap(r -> runner.audit(d, new SagaRunner.Cause(actor, null, null), "environment-rollback",
                                "rollback of " + project + " in " + env + " from " + live + " to " + previous.version
                                        + (reason == null ? "" : ": " + reason)).replaceWith(r));
                    });
                })
                .invoke(r -> {
                    relay.kick();
                    watchdog.soon();
                });
    }

    /** Loads a deployment that has not ended, applies {@code change} in one transaction, then lets the relay run. */
    private Uni<Deployment> onRunning(UUID id, ProjectScope scope, Function<Deployment, Uni<Deployment>> change) {
        return Panache.withTransaction(() -> Deployment.<Deployment>findById(id).flatMap(d -> {
                    if (d == null) {
                        return Uni.createFrom().failure(ProblemException.notFound("deployment " + id));
                    }
                    Access.require(scope, d.client, d.project);
                    if (d.finishedAt != null) {
                        return Uni.createFrom().failure(ProblemException.conflict("deployment " + id + " already ended "
                                + d.state + (d.state == DeploymentState.SUCCEEDED ? "; use POST /projects/" + d.project + "/environments/"
                                        + d.environment.toLowerCase(Locale.ROOT) + "/rollback" : "")));
                    }
                    return change.apply(d);
                }))
                .onFailure(OptimisticLockException.class).retry().atMost(3)
                .invoke(d -> {
                    relay.kick();
                    watchdog.soon();
                });
    }
}

package dev.runway.orchestrator.deployment;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.OptimisticLockException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.runway.access.ProjectScope;
import dev.runway.events.ApprovalGranted;
import dev.runway.events.Environment;
import dev.runway.events.Strategy;
import dev.runway.events.Topics;
import dev.runway.manifest.ManifestReader;
import dev.runway.orchestrator.OrchestratorConfig;
import dev.runway.orchestrator.api.Access;
import dev.runway.orchestrator.api.DeploymentRequest;
import dev.runway.orchestrator.api.ProblemException;
import dev.runway.orchestrator.manifest.DeploymentWindow;
import dev.runway.orchestrator.manifest.Manifest;
import dev.runway.orchestrator.metrics.SagaMetrics;
import dev.runway.orchestrator.outbox.Outbox;
import dev.runway.orchestrator.outbox.OutboxRelay;
import dev.runway.orchestrator.project.ProjectRegistry;
import dev.runway.orchestrator.saga.Action;
import dev.runway.orchestrator.saga.DeploymentState;
import dev.runway.orchestrator.saga.Effect;
import dev.runway.orchestrator.saga.Saga;
import dev.runway.orchestrator.saga.SagaShape;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** The API's use cases: request, approve, override a window, cancel and roll back deployments. */
@ApplicationScoped
public class DeploymentService {

    /** A request's outcome: the deployment, and whether this call created it (else: idempotent replay). */
    public record Requested(Deployment deployment, boolean created) {
    }

    private final SagaRunner runner;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final SagaWatchdog watchdog;
    private final OrchestratorConfig config;
    private final ObjectMapper json;
    private final SagaMetrics metrics;
    private final ProjectRegistry projects;
    private final ManifestReader manifests = new ManifestReader();

    public DeploymentService(SagaRunner runner, Outbox outbox, OutboxRelay relay, SagaWatchdog watchdog,
            OrchestratorConfig config, ObjectMapper json, SagaMetrics metrics, ProjectRegistry projects) {
        this.projects = projects;
        this.runner = runner;
        this.outbox = outbox;
        this.relay = relay;
        this.watchdog = watchdog;
        this.config = config;
        this.json = json;
        this.metrics = metrics;
    }

    // ---- request ------------------------------------------------------------------------------

    /**
     * Registers the project (or finds it), settles its client (the manifest's, else the registered one) and
     * only then checks the caller's scope, so a token of another client is refused with the project named.
     */
    public Uni<Requested> request(DeploymentRequest request, String idempotencyKey, String actor, ProjectScope scope) {
        Deployment draft = draft(request, actor);
        String manifestClient = draft.client;
        draft.idempotencyKey = idempotencyKey;
        draft.requestHash = hash(request);
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

    /** Turns a request into a deployment row with its frozen plan; refuses what cannot be planned. */
    private Deployment draft(DeploymentRequest request, String actor) {
        Environment env = Environment.valueOf(request.environment().toUpperCase(Locale.ROOT));
        if (request.manifest() == null && request.repository() == null) {
            throw ProblemException.badRequest("manifest", "give the deploy manifest or a repository reference");
        }
        Manifest manifest = null;
        String manifestText = null;
        if (request.manifest() != null && !request.manifest().isNull()) {
            // A manifest sent as a JSON object is read as its JSON text: the same reader and limits as YAML text.
            manifestText = request.manifest().isTextual() ? request.manifest().asText() : request.manifest().toString();
            manifest = Manifest.read(manifests, manifestText);
            if (!manifest.project().equals(request.project())) {
                throw ProblemException.badRequest("project", "project '" + request.project()
                        + "' does not match the manifest's project.name '" + manifest.project() + "'");
            }
        }
        List<DeploymentPlan.ComponentPlan> components = components(request, manifest);
        String envKey = env.name().toLowerCase(Locale.ROOT);
        OrchestratorConfig.EnvironmentPolicy policy = config.environments().get(envKey);
        Strategy strategy = request.strategy() != null ? Manifest.strategy(request.strategy()).orElseThrow()
                : manifest != null && manifest.strategy().isPresent() ? manifest.strategy().get() : Strategy.BLUE_GREEN;
        int approvals = policy.approvals();
        if (manifest != null) {
            int asked = manifest.approvals().getOrDefault(env,
                    Boolean.TRUE.equals(manifest.approvalRequired().get(env)) ? 1 : 0);
            approvals = Math.max(approvals, asked);
        }
        String target = manifest != null && manifest.targets().containsKey(env) ? manifest.targets().get(env).name()
                : policy.target().toUpperCase(Locale.ROOT);
        Manifest.Rollback rb = manifest == null ? null : manifest.rollback();
        OrchestratorConfig.Watch watch = config.watch();
        DeploymentPlan.Thresholds thresholds = new DeploymentPlan.Thresholds(rb == null || rb.automatic(),
                rb != null && rb.errorRatePercent() != null ? rb.errorRatePercent() : watch.errorRatePercent(),
                rb != null && rb.latencyP99Ms() != null ? rb.latencyP99Ms() : watch.latencyP99Ms(),
                rb == null ? null : rb.latencyP95Ms(),
                rb != null && rb.sustainedSeconds() != null ? rb.sustainedSeconds() : watch.sustainedSeconds());
        boolean database = manifest != null && manifest.migrationsPath().isPresent();
        DeploymentWindow window = manifest == null ? null : manifest.windows().get(env);
        SagaShape shape = new SagaShape(strategy, approvals, window != null, database,
                manifest == null ? List.of() : manifest.canarySteps(),
                manifest != null && manifest.canaryPauseSeconds().isPresent() ? manifest.canaryPauseSeconds().get()
                        : policy.canaryPauseSeconds(),
                policy.verifySeconds(),
                manifest != null && manifest.monitoringWindowSeconds().isPresent() ? manifest.monitoringWindowSeconds().get()
                        : policy.monitoringWindowSeconds());
        DeploymentPlan plan = new DeploymentPlan(shape, target, components, thresholds,
                manifest == null ? null : manifest.migrationsPath().orElse(null), window);

        Deployment d = new Deployment();
        d.id = UUID.randomUUID();
        d.project = request.project();
        d.client = manifest == null ? null : manifest.client();
        d.version = request.version();
        d.environment = env.name();
        d.strategy = strategy.name();
        d.target = target;
        d.dryRun = request.isDryRun();
        d.requestedBy = actor;
        d.manifest = manifestText;
        if (request.repository() != null) {
            d.repositoryUrl = request.repository().url();
            d.repositoryCommit = request.repository().commit();
            d.repositoryRef = request.repository().ref();
        }
        d.ciEvidence = request.ciEvidence();
        d.scanReport = request.scanReport();
        d.requiredApprovals = approvals;
        d.createdAt = Instant.now();
        d.updatedAt = d.createdAt;
        try {
            d.components = json.writeValueAsString(components);
            d.plan = json.writeValueAsString(plan);
            d.saga = json.writeValueAsString(Saga.Snapshot.initial());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        d.state = DeploymentState.REQUESTED;
        return d;
    }

    private static List<DeploymentPlan.ComponentPlan> components(DeploymentRequest request, Manifest manifest) {
        List<String> asked = request.components() == null || request.components().isEmpty() ? List.of("all") : request.components();
        boolean all = asked.size() == 1 && asked.get(0).equals("all");
        if (manifest == null) {
            if (all) {
                throw ProblemException.badRequest("components", "without a manifest, name the components to deploy");
            }
            return asked.stream().map(n -> new DeploymentPlan.ComponentPlan(n, null, null, null, null, 1, null, null)).toList();
        }
        List<DeploymentPlan.ComponentPlan> result = new ArrayList<>();
        if (all) {
            manifest.components().values().stream().filter(Manifest.Component::enabled).forEach(c -> result.add(plan(c)));
        } else {
            for (int i = 0; i < asked.size(); i++) {
                Manifest.Component c = manifest.components().get(asked.get(i));
                if (c == null) {
                    throw ProblemException.badRequest("components[" + i + "]", "component '" + asked.get(i)
                            + "' is not in the manifest (known: " + String.join(", ", manifest.components().keySet()) + ")");
                }
                if (!c.enabled()) {
                    throw ProblemException.badRequest("components[" + i + "]", "component '" + asked.get(i) + "' is disabled in the manifest");
                }
                result.add(plan(c));
            }
        }
        if (result.isEmpty()) {
            throw ProblemException.badRequest("components", "the manifest has no enabled component");
        }
        return result;
    }

    private static DeploymentPlan.ComponentPlan plan(Manifest.Component c) {
        return new DeploymentPlan.ComponentPlan(c.name(), c.image(), c.artifact(), c.port(), c.healthcheck(), c.replicas(),
                c.cpu(), c.memory());
    }

    private String hash(DeploymentRequest request) {
        try {
            byte[] canonical = json.writeValueAsBytes(request);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
     * Seed 000 §10.1 "rollback previous" of one project environment: redeploy the version that was live
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
                        Deployment d = copyForRollback(previous, actor);
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

    private Deployment copyForRollback(Deployment previous, String actor) {
        DeploymentPlan plan = runner.plan(previous);
        SagaShape s = plan.shape();
        // A rollback restores a known-good version: no approvals or window wait (the SRE's role and the audit log stand in).
        SagaShape shape = new SagaShape(s.strategy(), 0, false, false, s.canarySteps(), s.canaryPauseSeconds(),
                s.verifySeconds(), s.monitoringWindowSeconds());
        Deployment d = new Deployment();
        d.id = UUID.randomUUID();
        d.project = previous.project;
        d.client = previous.client;
        d.version = previous.version;
        d.environment = previous.environment;
        d.strategy = previous.strategy;
        d.target = previous.target;
        d.dryRun = false;
        d.requestedBy = actor;
        d.components = previous.components;
        d.manifest = previous.manifest;
        d.repositoryUrl = previous.repositoryUrl;
        d.repositoryCommit = previous.repositoryCommit;
        d.repositoryRef = previous.repositoryRef;
        d.ciEvidence = previous.ciEvidence;
        d.scanReport = previous.scanReport;
        d.requiredApprovals = 0;
        d.createdAt = Instant.now();
        d.updatedAt = d.createdAt;
        d.state = DeploymentState.REQUESTED;
        try {
            d.plan = json.writeValueAsString(new DeploymentPlan(shape, plan.target(), plan.components(), plan.thresholds(),
                    null, null));
            d.saga = json.writeValueAsString(Saga.Snapshot.initial());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return d;
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

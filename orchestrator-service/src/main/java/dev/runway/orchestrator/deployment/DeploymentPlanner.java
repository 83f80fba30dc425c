package dev.runway.orchestrator.deployment;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.runway.events.Environment;
import dev.runway.events.Strategy;
import dev.runway.manifest.ManifestReader;
import dev.runway.orchestrator.OrchestratorConfig;
import dev.runway.orchestrator.api.DeploymentRequest;
import dev.runway.orchestrator.api.ProblemException;
import dev.runway.orchestrator.api.RepositoryUrls;
import dev.runway.orchestrator.manifest.DeploymentWindow;
import dev.runway.orchestrator.manifest.Manifest;
import dev.runway.orchestrator.saga.DeploymentState;
import dev.runway.orchestrator.saga.SagaShape;

/**
 * Plans deployments, reading and writing no table: turns a request (its manifest read by the shared bounded
 * reader, the environment's policy) into a deployment row with its frozen plan, refusing what cannot
 * be planned; and plans the redeployment of a known-good version for "rollback previous".
 */
@ApplicationScoped
public class DeploymentPlanner {

    private final OrchestratorConfig config;
    private final ObjectMapper json;
    private final SagaStore store;
    private final ManifestReader manifests = new ManifestReader();

    public DeploymentPlanner(OrchestratorConfig config, ObjectMapper json, SagaStore store) {
        this.config = config;
        this.json = json;
        this.store = store;
    }

    /** Turns a request into a deployment row with its frozen plan; refuses what cannot be planned. */
    Deployment draft(DeploymentRequest request, String actor) {
        Environment env = Environment.valueOf(request.environment().toUpperCase(Locale.ROOT));
        if (request.manifest() == null && request.repository() == null) {
            throw ProblemException.badRequest("manifest", "give the deploy manifest or a repository reference");
        }
        if (request.repository() != null && RepositoryUrls.carriesCredentials(request.repository().url())) {
            // Refused before anything is stored or published; the answer never repeats the URL.
            throw new ProblemException(400, "Credentials in a repository URL", RepositoryUrls.REFUSAL, "repository.url");
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
        boolean asked = manifest != null && manifest.targets().containsKey(env);
        String target = asked ? manifest.targets().get(env).name() : policy.target().toUpperCase(Locale.ROOT);
        if (policy.allowedTargets().stream().noneMatch(t -> t.strip().equalsIgnoreCase(target))) {
            // Refused at the earliest point: nothing stored, locked or sent for a target the operator does not allow here.
            String allowed = String.join(", ", policy.allowedTargets());
            throw asked
                    ? ProblemException.badRequest("/manifest/deployment/targets/" + envKey, "target " + target.toLowerCase(Locale.ROOT)
                            + " is not allowed for " + envKey + " (runway.environments." + envKey + ".allowed-targets: " + allowed + ")")
                    : ProblemException.badRequest("environment", envKey + "'s default target " + target.toLowerCase(Locale.ROOT)
                            + " is not in runway.environments." + envKey + ".allowed-targets (" + allowed + "): name an allowed one in "
                            + "the manifest's deployment.targets." + envKey);
        }
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
                manifest == null ? null : manifest.migrationsPath().orElse(null), window,
                manifest == null ? null : manifest.migrationsTool().orElse(null));

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
            d.repositoryCredential = request.repository().credential();
        }
        d.ciEvidence = request.ciEvidence();
        d.scanReport = request.scanReport();
        d.requiredApprovals = approvals;
        d.createdAt = Instant.now();
        d.updatedAt = d.createdAt;
        try {
            d.components = json.writeValueAsString(components);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        store.initialise(d, plan);
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

    /** The request, canonically: an Idempotency-Key replay must carry the same one. */
    String hash(DeploymentRequest request) {
        try {
            byte[] canonical = json.writeValueAsBytes(request);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new deployment of {@code previous}'s version, as it was planned then. */
    Deployment rollbackTo(Deployment previous, String actor) {
        DeploymentPlan plan = store.plan(previous);
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
        d.repositoryCredential = previous.repositoryCredential;
        d.ciEvidence = previous.ciEvidence;
        d.scanReport = previous.scanReport;
        d.requiredApprovals = 0;
        d.createdAt = Instant.now();
        d.updatedAt = d.createdAt;
        d.state = DeploymentState.REQUESTED;
        store.initialise(d, new DeploymentPlan(shape, plan.target(), plan.components(), plan.thresholds(), null, null, null));
        return d;
    }
}

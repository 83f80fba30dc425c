package dev.runway.orchestrator.decommission;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.runway.events.Environment;
import dev.runway.events.EventHeader;
import dev.runway.events.StepFailed;
import dev.runway.events.Strategy;
import dev.runway.orchestrator.OrchestratorConfig;
import dev.runway.orchestrator.audit.AuditEntry;
import dev.runway.orchestrator.deployment.Deployment;
import dev.runway.orchestrator.deployment.DeploymentPlan;
import dev.runway.orchestrator.deployment.EnvironmentRelease;
import dev.runway.orchestrator.deployment.ReleaseEndpoints;
import dev.runway.orchestrator.lock.EnvironmentLock;
import dev.runway.orchestrator.saga.participants.ReplyOutcome;
import io.smallrye.mutiny.Uni;

/**
 * The keep/decommission schedule (issue 14 item 9, issue 18 item 3;
 * docs/sop.md#003-32-step-7-decommission-the-old-colour).
 * When a blue-green or canary deployment succeeds, the colour it replaced keeps running for the
 * environment's {@code keep-previous}; {@link DecommissionJob} then sends {@code Decommission} for it
 * under the project environment's lock, unless a newer deployment (or a rollback) took the project
 * environment since. Every transition is in the replacing deployment's audit trail.
 */
@ApplicationScoped
public class KeptReleases {

    /** The step name a Decommission carries and its reply echoes; no saga has a step of that name. */
    public static final String STEP = "decommission";

    private static final TypeReference<List<KeptRelease.Component>> COMPONENTS = new TypeReference<>() {
    };

    private final OrchestratorConfig config;
    private final ReleaseEndpoints endpoints;
    private final EnvironmentLock lock;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();

    public KeptReleases(OrchestratorConfig config, ReleaseEndpoints endpoints, EnvironmentLock lock, ObjectMapper json) {
        this.config = config;
        this.endpoints = endpoints;
        this.lock = lock;
        this.json = json;
    }

    /**
     * Called as a deployment ends SUCCEEDED, before its versions become the live ones: keeps the
     * colour it replaced. Nothing is kept for a dry run, a rolling deployment (the executor stops
     * the old version itself) or a first release (the executor reported no serving release).
     */
    public Uni<Void> schedule(Deployment d, DeploymentPlan plan) {
        String kept = otherColour(d.newSlot);
        if (d.dryRun || Strategy.valueOf(d.strategy) == Strategy.ROLLING || kept == null || d.fencingToken == null) {
            return Uni.createFrom().voidItem();
        }
        Map<String, ReleaseEndpoints.Endpoint> reported = endpoints.of(d);
        List<String> replaced = plan.components().stream().map(DeploymentPlan.ComponentPlan::name)
                .filter(c -> ReleaseEndpoints.of(reported, c).baselineUrl() != null).toList();
        if (replaced.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Duration keep = config.environments().get(d.environment.toLowerCase(Locale.ROOT)).keepPrevious();
        return EnvironmentRelease.<EnvironmentRelease>find("project = ?1 and environment = ?2 and component in ?3",
                        d.project, d.environment, replaced).list()
                .flatMap(live -> {
                    List<KeptRelease.Component> components = new ArrayList<>();
                    for (String name : replaced) {
                        Optional<EnvironmentRelease> was = live.stream().filter(r -> r.component.equals(name)).findFirst();
                        components.add(new KeptRelease.Component(name, was.map(r -> r.version).orElse(null),
                                was.map(r -> r.deploymentId).orElse(null)));
                    }
                    KeptRelease row = new KeptRelease();
                    row.deploymentId = d.id;
                    row.project = d.project;
                    row.environment = d.environment;
                    row.client = d.client;
                    row.slot = kept;
                    row.components = write(components);
                    row.deploymentToken = d.fencingToken;
                    row.createdAt = clock.instant();
                    row.keepUntil = (d.finishedAt == null ? row.createdAt : d.finishedAt).plus(keep);
                    row.status = KeptRelease.Status.KEPT;
                    return row.persist().flatMap(x -> AuditEntry.record(d.id, "runway", "release-kept", kept + " keeps running "
                            + describe(components) + " until " + row.keepUntil + " (keep-previous " + keep + " in "
                            + d.environment.toLowerCase(Locale.ROOT) + "), then Decommission", null));
                })
                .replaceWithVoid();
    }

    /** Whether a reply with this (echoed) step answers a Decommission rather than a saga step. */
    public static boolean answers(String step) {
        return STEP.equals(step);
    }

    /**
     * Applies the executor's answer to the Decommission of {@code d}'s kept release, in the reply's
     * transaction, and frees the project environment's lock taken for it. A refusal for a stale
     * fencing token means a newer deployment acted first: skipped, not failed.
     */
    public Uni<Boolean> answer(Deployment d, String actor, SpecificRecord reply, ReplyOutcome outcome, String eventId) {
        if (outcome.verdict() == ReplyOutcome.Verdict.PROGRESS) {
            return AuditEntry.record(d.id, actor, "progress", outcome.detail(), eventId).replaceWith(false);
        }
        return KeptRelease.<KeptRelease>findById(d.id).flatMap(row -> {
            String type = reply.getSchema().getName();
            if (row == null || row.status != KeptRelease.Status.SENT && !(row.status == KeptRelease.Status.FAILED
                    && outcome.verdict() == ReplyOutcome.Verdict.SUCCEEDED)) {
                return AuditEntry.record(d.id, actor, "ignored", type + " for " + STEP + " while the kept release is "
                        + (row == null ? "unknown" : row.status), eventId).replaceWith(false);
            }
            boolean late = row.status == KeptRelease.Status.FAILED;
            KeptRelease.Status next;
            String action;
            if (outcome.verdict() == ReplyOutcome.Verdict.SUCCEEDED) {
                next = KeptRelease.Status.DECOMMISSIONED;
                action = "decommissioned";
            } else if (reply instanceof StepFailed failed && "STALE_LOCK".equals(failed.getCode())) {
                next = KeptRelease.Status.SKIPPED;
                action = "decommission-skipped";
            } else {
                next = KeptRelease.Status.FAILED;
                action = "decommission-failed";
            }
            row.status = next;
            row.finishedAt = clock.instant();
            row.detail = outcome.detail() + (late ? " (after its reply deadline)" : "");
            return AuditEntry.record(d.id, actor, action, row.slot + ": " + row.detail, eventId)
                    .flatMap(x -> release(row))
                    .replaceWith(true);
        });
    }

    /** Frees the lock taken for the row's Decommission, if it is still held under that token. */
    public Uni<Void> release(KeptRelease row) {
        if (row.fencingToken == null) {
            return Uni.createFrom().voidItem();
        }
        return lock.release(row.project, Environment.valueOf(row.environment), holder(row), row.fencingToken).replaceWithVoid();
    }

    /** Kept releases of a project environment that still run (waiting, or Decommission in flight). */
    public Uni<List<KeptRelease>> running(String project, Environment env) {
        return KeptRelease.<KeptRelease>find("project = ?1 and environment = ?2 and status in ?3 order by keepUntil",
                project, env.name(), List.of(KeptRelease.Status.KEPT, KeptRelease.Status.SENT)).list();
    }

    /** Highest fencing token a Decommission of the project environment was given (0 if none). */
    public static Uni<Long> highestToken(String project, String environment) {
        return KeptRelease.<KeptRelease>find("project = ?1 and environment = ?2 and fencingToken is not null "
                + "order by fencingToken desc", project, environment).firstResult()
                .map(top -> top == null ? 0L : top.fencingToken);
    }

    /** Who holds the lock while a Decommission is in flight, as the project environment views show it. */
    public static String holder(KeptRelease row) {
        return "decommission-" + row.deploymentId;
    }

    public List<KeptRelease.Component> components(KeptRelease row) {
        try {
            return json.readValue(row.components, COMPONENTS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("kept release " + row.deploymentId + " unreadable", e);
        }
    }

    /** The envelope of a Decommission: the replacing deployment's, so its reply and audit land there. */
    EventHeader header(KeptRelease row) {
        return EventHeader.newBuilder().setEventId(UUID.randomUUID().toString()).setDeploymentId(row.deploymentId.toString())
                .setEnvironment(Environment.valueOf(row.environment)).setProject(row.project).setClient(row.client)
                .setOccurredAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .setCorrelationId(row.deploymentId.toString()).setCausationId(null).build();
    }

    Duration replyTimeout() {
        return config.decommission().replyTimeout();
    }

    Instant now() {
        return clock.instant();
    }

    static String describe(List<KeptRelease.Component> components) {
        return components.stream().map(c -> c.component() + (c.version() == null ? "" : " " + c.version()))
                .collect(Collectors.joining(", "));
    }

    /**
     * Both targets deploy into the colour that is not serving (blue ↔ green, executor HostTarget and
     * KubernetesTarget), so the colour a deployment replaced is the other one. Unknown names: none.
     */
    static String otherColour(String slot) {
        if ("blue".equals(slot)) {
            return "green";
        }
        return "green".equals(slot) ? "blue" : null;
    }

    private String write(List<KeptRelease.Component> components) {
        try {
            return json.writeValueAsString(components);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.runway.orchestrator.deployment;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.runway.events.StepKind;
import dev.runway.orchestrator.OrchestratorConfig;
import dev.runway.orchestrator.audit.AuditEntry;
import dev.runway.orchestrator.saga.Saga;
import dev.runway.orchestrator.saga.SagaDefinition;
import io.smallrye.mutiny.Uni;

/**
 * A saga's state in Postgres, inside the caller's transaction: the frozen plan and the saga snapshot
 * on the deployment row (as JSON), one {@code deployment_step} row per step execution, the audit
 * log, and the live releases a successful deployment leaves behind.
 */
@ApplicationScoped
public class SagaStore {

    private final ObjectMapper json;
    private final OrchestratorConfig config;
    private final ReleaseEndpoints endpoints;
    private final Clock clock = Clock.systemUTC();

    public SagaStore(ObjectMapper json, OrchestratorConfig config, ReleaseEndpoints endpoints) {
        this.json = json;
        this.config = config;
        this.endpoints = endpoints;
    }

    /** Freezes a new deployment's plan and puts its saga at the start. */
    public void initialise(Deployment d, DeploymentPlan plan) {
        try {
            d.plan = json.writeValueAsString(plan);
            d.saga = json.writeValueAsString(Saga.Snapshot.initial());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public DeploymentPlan plan(Deployment d) {
        try {
            return json.readValue(d.plan, DeploymentPlan.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable plan of deployment " + d.id, e);
        }
    }

    public SagaRunner.Loaded load(Deployment d) {
        DeploymentPlan plan = plan(d);
        try {
            SagaDefinition definition = SagaDefinition.of(plan.shape(), config.timeouts().asStepTimeouts());
            return new SagaRunner.Loaded(d, plan, new Saga(definition, json.readValue(d.saga, Saga.Snapshot.class)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable saga of deployment " + d.id, e);
        }
    }

    /** The saga's snapshot and where it stands, onto the row. */
    void store(Deployment d, Saga saga) {
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

    /** A step execution begins; {@code commandEventId} is the event id of the command it sends, if any. */
    Uni<Void> stepStarted(Deployment d, String name, StepKind kind, String commandEventId) {
        DeploymentStep row = new DeploymentStep();
        row.deploymentId = d.id;
        row.name = name;
        row.kind = kind.name();
        row.status = StepStatus.RUNNING;
        row.startedAt = clock.instant();
        row.commandEventId = commandEventId;
        return row.persist().replaceWithVoid();
    }

    /** Ends the running execution of step {@code name}; null when none was running. */
    Uni<DeploymentStep> stepFinished(Deployment d, String name, StepStatus status, String detail) {
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

    public Uni<Void> audit(Deployment d, SagaRunner.Cause cause, String action, String detail) {
        return AuditEntry.record(d.id, cause.actor(), action, detail, cause.eventId()).replaceWithVoid();
    }

    /** The deployment's version becomes the live one of each component in its project environment. */
    Uni<Void> recordReleases(Deployment d, List<String> components) {
        Map<String, ReleaseEndpoints.Endpoint> released = endpoints.of(d);
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
}

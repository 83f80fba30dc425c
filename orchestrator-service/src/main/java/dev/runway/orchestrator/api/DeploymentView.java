package dev.runway.orchestrator.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.runway.orchestrator.deployment.StepStatus;
import dev.runway.orchestrator.saga.DeploymentState;

/** What {@code GET /deployments/{id}} shows: state, steps with times, approvals and the events that moved it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentView(UUID id, String client, String project, String version, String environment, String strategy,
        String target, boolean dryRun, DeploymentState state, String currentStep, String reason, String requestedBy,
        Long fencingToken, Instant createdAt, Instant startedAt, Instant finishedAt, Approvals approvals,
        List<Step> steps, List<Event> events) {

    public record Approvals(int required, List<String> given) {
    }

    public record Step(String name, String kind, StepStatus status, Instant startedAt, Instant finishedAt, Long durationMs,
            String detail) {
    }

    public record Event(Instant at, String actor, String action, String detail, String eventId) {
    }

    /** A row of {@code GET /deployments}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Summary(UUID id, String client, String project, String version, String environment, String strategy,
            DeploymentState state,            String currentStep, boolean dryRun, Instant createdAt, Instant finishedAt) {
    }

    public record Page(List<Summary> items, int page, int size, long total) {
    }
}

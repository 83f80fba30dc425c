package dev.runway.orchestrator.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.runway.orchestrator.saga.DeploymentState;

/** What the project and environment views show. */
public final class ProjectViews {

    private ProjectViews() {
    }

    /** A component's live version in a project environment, and where its users reach it (the project environment's own front). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Live(String component, String version, String front, String deploymentId, Instant releasedAt) {
    }

    /**
     * A component of the release a blue-green or canary deployment replaced: it keeps running in its colour (for an
     * instant switch back) until {@code keptUntil}, when Runway decommissions it. {@code replacedBy} is that deployment;
     * {@code status} KEPT (waiting) or SENT (Decommission in flight).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Previous(String component, String version, String slot, Instant keptUntil, String replacedBy, String status) {
    }

    /** Who holds the project environment's lock, under which fencing token. */
    public record Lock(String deploymentId, long fencingToken) {
    }

    /** How the last finished (non-dry-run) deployment of a project environment ended. */
    public record Outcome(UUID deploymentId, String version, DeploymentState state, Instant finishedAt) {
    }

    /** {@code GET /projects/{project}/environments/{env}}: one project environment. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProjectEnvironmentView(String project, String client, String environment, List<Live> live, List<Previous> previous,
            Lock lock,
            List<DeploymentView.Summary> queue, List<DeploymentView.Summary> recent) {
    }

    /** {@code GET /environments/{env}}: every project the caller may see in the environment, each with its own lock and queue. */
    public record EnvironmentView(String environment, List<ProjectEnvironmentView> projects) {
    }

    /** {@code GET /projects}: the board. */
    public record Board(List<ClientEntry> clients) {
    }

    /** A client's projects; {@code client} is null for projects known only from before tenancy. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClientEntry(String client, List<ProjectEntry> projects) {
    }

    public record ProjectEntry(String project, String safeName, List<EnvironmentEntry> environments) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EnvironmentEntry(String environment, List<Live> live, Lock lock, List<String> queue, Outcome lastOutcome) {
    }
}

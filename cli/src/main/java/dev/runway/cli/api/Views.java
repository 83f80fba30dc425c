package dev.runway.cli.api;

import java.time.Instant;
import java.util.List;

/**
 * The orchestrator's JSON shapes the CLI reads (orchestrator-service api/DeploymentView.java,
 * Problem). Only the fields used here; others are ignored. The project and environment views
 * ({@code /projects}, {@code /environments/{env}}) are read as JSON trees by {@code commands.Board}.
 */
public final class Views {

    private Views() {
    }

    public record Deployment(String id, String project, String version, String environment, String strategy,
            String target, boolean dryRun, String state, String currentStep, String reason, String requestedBy,
            Long fencingToken, Instant createdAt, Instant startedAt, Instant finishedAt, Approvals approvals,
            List<Step> steps, List<Event> events) {

        public List<Step> stepList() {
            return steps == null ? List.of() : steps;
        }

        public List<Event> eventList() {
            return events == null ? List.of() : events;
        }
    }

    public record Approvals(int required, List<String> given) {
        public List<String> givenList() {
            return given == null ? List.of() : given;
        }
    }

    /** One execution of a step: kind FORWARD or COMPENSATION, status RUNNING, COMPLETED, FAILED or ABANDONED. */
    public record Step(String name, String kind, String status, Instant startedAt, Instant finishedAt, Long durationMs,
            String detail) {
        public boolean compensation() {
            return "COMPENSATION".equals(kind);
        }
    }

    /** An audit-log entry: who (actor) did what (action) with which detail. */
    public record Event(Instant at, String actor, String action, String detail, String eventId) {
    }

    public record Summary(String id, String project, String version, String environment, String strategy, String state,
            String currentStep, boolean dryRun, Instant createdAt, Instant finishedAt) {
    }

    public record Page(List<Summary> items, int page, int size, long total) {
    }

    /** RFC 9457 problem details as the orchestrator sends them, {@code errors} naming each field. */
    public record Problem(String type, String title, Integer status, String detail, String instance,
            List<FieldError> errors) {
    }

    public record FieldError(String field, String message) {
    }
}

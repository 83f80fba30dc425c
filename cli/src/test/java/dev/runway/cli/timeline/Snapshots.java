package dev.runway.cli.timeline;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.runway.cli.api.Json;
import dev.runway.cli.api.Views;

/**
 * GET /deployments/{id} answers of one canary deployment of acme-shop 1.2.0 to staging whose
 * first canary step breaches, in the orchestrator's JSON shape (DeploymentView).
 */
final class Snapshots {

    static final String ID = "6d0f4a8e-2b1c-4f3e-9a77-0c1d2e3f4a5b";

    private Snapshots() {
    }

    static Views.Deployment parse(String json) {
        try {
            return Json.MAPPER.readValue(json, Views.Deployment.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static String deployment(String state, String reason, String finishedAt, String approvals, String steps, String events) {
        return """
                {"id":"%s","project":"acme-shop","version":"1.2.0","environment":"staging","strategy":"canary",
                 "target":"host","dryRun":false,"state":"%s",%s"requestedBy":"dana","fencingToken":7,
                 "createdAt":"2026-01-15T12:00:00.120Z",%s"approvals":%s,
                 "steps":[%s],"events":[%s]}
                """.formatted(ID, state, reason == null ? "" : "\"reason\":\"" + reason + "\",",
                finishedAt == null ? "" : "\"finishedAt\":\"" + finishedAt + "\",", approvals, steps, events);
    }

    static String step(String name, String kind, String status, String started, String finished, Long ms, String detail) {
        return """
                {"name":"%s","kind":"%s","status":"%s","startedAt":"%s"%s%s%s}""".formatted(name, kind, status, started,
                finished == null ? "" : ",\"finishedAt\":\"" + finished + "\"", ms == null ? "" : ",\"durationMs\":" + ms,
                detail == null ? "" : ",\"detail\":\"" + detail + "\"");
    }

    static String event(String at, String actor, String action, String detail) {
        return """
                {"at":"%s","actor":"%s","action":"%s","detail":"%s"}""".formatted(at, actor, action, detail);
    }

    static final String NO_APPROVALS = "{\"required\":0,\"given\":[]}";

    static final String REQUESTED = event("2026-01-15T12:00:00.150Z", "dana", "requested", "acme-shop 1.2.0 to staging (CANARY)");
    static final String VALIDATED = event("2026-01-15T12:00:03.000Z", "validator", "reply", "ValidationPassed for validate: PASSED, 0 warnings");
    static final String GREEN = event("2026-01-15T12:00:09.300Z", "executor", "reply", "GreenDeployed for deploy-green: 1.2.0 in slot green");
    static final String VERIFIED = event("2026-01-15T12:00:09.900Z", "health-watcher", "reply",
            "HealthCheckPassed for verify-green: 3 probes healthy, error rate 0.0 %");
    static final String BREACH = event("2026-01-15T12:00:41.000Z", "health-watcher", "reply",
            "ThresholdBreached for watch-canary-10: error_rate 12.5 > 5.0 for 30 s (metrics, 6 samples)");

    static final String VALIDATE_RUNNING = step("validate", "FORWARD", "RUNNING", "2026-01-15T12:00:01.000Z", null, null, null);
    static final String VALIDATE_DONE = step("validate", "FORWARD", "COMPLETED", "2026-01-15T12:00:01.000Z",
            "2026-01-15T12:00:03.010Z", 2010L, "PASSED, 0 warnings");
    static final String LOCK_DONE = step("lock", "FORWARD", "COMPLETED", "2026-01-15T12:00:03.020Z", "2026-01-15T12:00:03.040Z", 20L, null);
    static final String GREEN_DONE = step("deploy-green", "FORWARD", "COMPLETED", "2026-01-15T12:00:05.100Z",
            "2026-01-15T12:00:09.310Z", 4210L, "1.2.0 in slot green");
    static final String VERIFY_DONE = step("verify-green", "FORWARD", "COMPLETED", "2026-01-15T12:00:09.320Z",
            "2026-01-15T12:00:09.910Z", 590L, "3 probes healthy, error rate 0.0 %");
    static final String SHIFT_RUNNING = step("shift-traffic-10", "FORWARD", "RUNNING", "2026-01-15T12:00:10.000Z", null, null, null);
    static final String SHIFT_DONE = step("shift-traffic-10", "FORWARD", "COMPLETED", "2026-01-15T12:00:10.000Z",
            "2026-01-15T12:00:11.000Z", 1000L, "10% on green");
    static final String WATCH_ABANDONED = step("watch-canary-10", "FORWARD", "ABANDONED", "2026-01-15T12:00:11.010Z",
            "2026-01-15T12:00:41.010Z", 30000L, "stopped: error_rate 12.5 > 5.0 for 30 s (metrics, 6 samples)");
    static final String UNDO_SHIFT_RUNNING = step("undo-shift-traffic-10", "COMPENSATION", "RUNNING", "2026-01-15T12:00:41.020Z",
            null, null, null);
    static final String UNDO_SHIFT_DONE = step("undo-shift-traffic-10", "COMPENSATION", "COMPLETED", "2026-01-15T12:00:41.020Z",
            "2026-01-15T12:00:42.500Z", 1480L, "traffic back on blue");
    static final String UNDO_GREEN_DONE = step("undo-deploy-green", "COMPENSATION", "COMPLETED", "2026-01-15T12:00:42.510Z",
            "2026-01-15T12:00:44.000Z", 1490L, "removed green");

    static Views.Deployment validating() {
        return parse(deployment("VALIDATING", null, null, NO_APPROVALS, VALIDATE_RUNNING, REQUESTED));
    }

    static Views.Deployment shifting() {
        return parse(deployment("SHIFTING", null, null, NO_APPROVALS,
                String.join(",", VALIDATE_DONE, LOCK_DONE, GREEN_DONE, VERIFY_DONE, SHIFT_RUNNING),
                String.join(",", REQUESTED, VALIDATED, GREEN, VERIFIED)));
    }

    static Views.Deployment compensating() {
        return parse(deployment("COMPENSATING", null, null, NO_APPROVALS,
                String.join(",", VALIDATE_DONE, LOCK_DONE, GREEN_DONE, VERIFY_DONE, SHIFT_DONE, WATCH_ABANDONED, UNDO_SHIFT_RUNNING),
                String.join(",", REQUESTED, VALIDATED, GREEN, VERIFIED, BREACH)));
    }

    static final String REASON = "error_rate 12.5 > 5.0 for 30 s (metrics, 6 samples)";

    static Views.Deployment rolledBack() {
        return parse(deployment("ROLLED_BACK", REASON, "2026-01-15T12:00:44.120Z", NO_APPROVALS,
                String.join(",", VALIDATE_DONE, LOCK_DONE, GREEN_DONE, VERIFY_DONE, SHIFT_DONE, WATCH_ABANDONED, UNDO_SHIFT_DONE,
                        UNDO_GREEN_DONE),
                String.join(",", REQUESTED, VALIDATED, GREEN, VERIFIED, BREACH,
                        event("2026-01-15T12:00:44.100Z", "executor", "ended", "ROLLED_BACK: " + REASON))));
    }
}

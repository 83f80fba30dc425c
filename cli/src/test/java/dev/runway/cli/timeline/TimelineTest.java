package dev.runway.cli.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.runway.cli.api.Views;
import dev.runway.cli.console.Style;

/** Successive deployment snapshots → exactly the new lines, in time order. */
class TimelineTest {

    private final Timeline timeline = new Timeline(new Style(false), ZoneOffset.UTC);

    @Test
    void shouldPrintEachStepAndEventOnceAsSnapshotsArrive() {
        assertEquals(List.of(
                "12:00:00  • requested                 acme-shop 1.2.0 to staging (CANARY) (by dana)",
                "12:00:01  ▸ validate                  started"), timeline.update(Snapshots.validating()));
        assertEquals(List.of(), timeline.update(Snapshots.validating()), "the same snapshot adds nothing");

        assertEquals(List.of(
                "12:00:03  ✓ validate                  2.0 s     PASSED, 0 warnings",
                "12:00:03  ✓ lock                      0.0 s     staging lock taken, fencing token 7",
                "12:00:09  ✓ deploy-green              4.2 s     1.2.0 in slot green",
                "12:00:09  ◆ health: passed            verify-green: 3 probes healthy, error rate 0.0 %",
                "12:00:09  ✓ verify-green              0.6 s     3 probes healthy, error rate 0.0 %",
                "12:00:10  ▸ shift-traffic-10          started"), timeline.update(Snapshots.shifting()));
    }

    @Test
    void shouldShowTheBreachWithItsEvidenceAndTheCompensations() {
        timeline.update(Snapshots.shifting());
        assertEquals(List.of(
                "12:00:11  ✓ shift-traffic-10          1.0 s     10% on green",
                "12:00:41  ◆ health: BREACH            watch-canary-10: error_rate 12.5 > 5.0 for 30 s (metrics, 6 samples)",
                "12:00:41  ⊘ watch-canary-10           30 s      stopped: error_rate 12.5 > 5.0 for 30 s (metrics, 6 samples)",
                "12:00:41  ↺ undo-shift-traffic-10     compensating"), timeline.update(Snapshots.compensating()));
        assertEquals(List.of(
                "12:00:42  ↺ undo-shift-traffic-10     1.5 s     traffic back on blue",
                "12:00:44  ↺ undo-deploy-green         1.5 s     removed green"), timeline.update(Snapshots.rolledBack()));
        assertEquals("↺ ROLLED_BACK  acme-shop 1.2.0 → staging in 44 s: " + Snapshots.REASON,
                timeline.summary(Snapshots.rolledBack()));
    }

    @Test
    void shouldPrintAWholeFinishedDeploymentAtOnceWithoutStartLines() {
        List<String> lines = timeline.update(Snapshots.rolledBack());
        assertEquals(11, lines.size(), String.join("\n", lines));
        assertTrue(lines.stream().noneMatch(l -> l.contains("started") || l.contains("compensating")), String.join("\n", lines));
        assertTrue(lines.stream().noneMatch(l -> l.contains("GreenDeployed") || l.contains("ended")),
                "executor replies and the end are told by the step lines and the summary");
    }

    @Test
    void shouldMarkFailedStepsAndTheFailedSummary() {
        Views.Deployment failed = Snapshots.parse(Snapshots.deployment("FAILED", "validation failed (2 errors)",
                "2026-01-15T12:00:04.000Z", Snapshots.NO_APPROVALS,
                Snapshots.step("validate", "FORWARD", "FAILED", "2026-01-15T12:00:01.000Z", "2026-01-15T12:00:03.500Z", 2500L,
                        "2 errors: REQUIRED_FILE, MIGRATION_NAMING"), Snapshots.REQUESTED));
        List<String> lines = timeline.update(failed);
        assertEquals("12:00:03  ✗ validate                  2.5 s     2 errors: REQUIRED_FILE, MIGRATION_NAMING", lines.get(1));
        assertEquals("✗ FAILED  acme-shop 1.2.0 → staging in 3.9 s: validation failed (2 errors)", timeline.summary(failed));
    }

    @Test
    void shouldSayWhatAnApprovalGateWaitsForAndWhoApproved() {
        String approval = Snapshots.step("approval", "FORWARD", "RUNNING", "2026-01-15T12:00:03.000Z", null, null, null);
        Views.Deployment waiting = Snapshots.parse(Snapshots.deployment("AWAITING_APPROVAL", null, null,
                "{\"required\":2,\"given\":[]}", String.join(",", Snapshots.VALIDATE_DONE, approval), Snapshots.REQUESTED));
        List<String> first = timeline.update(waiting);
        assertEquals("12:00:03  ⏳ waiting for 2 approvals (0 given): runway approve " + Snapshots.ID, first.get(first.size() - 1));
        assertEquals(List.of(), timeline.update(waiting), "the waiting line is not repeated");

        Views.Deployment oneGiven = Snapshots.parse(Snapshots.deployment("AWAITING_APPROVAL", null, null,
                "{\"required\":2,\"given\":[\"erin\"]}", String.join(",", Snapshots.VALIDATE_DONE, approval),
                String.join(",", Snapshots.REQUESTED, Snapshots.event("2026-01-15T12:01:00Z", "erin", "approved", "looks good"))));
        assertEquals(List.of(
                "12:01:00  ✓ approved by erin          1 of 2 approvals: looks good",
                "12:01:00  ⏳ waiting for 2 approvals (1 given): runway approve " + Snapshots.ID), timeline.update(oneGiven));
    }

    @Test
    void shouldShowTheRunningStepsElapsedTimeAndPeriodicLinesForNonTerminals() {
        Views.Deployment d = Snapshots.shifting();
        assertEquals(Optional.of("12:00:22  … shift-traffic-10          running 12 s"),
                timeline.progress(d, Instant.parse("2026-01-15T12:00:22Z")));
        Duration every = Duration.ofSeconds(10);
        assertFalse(timeline.periodic(d, Instant.parse("2026-01-15T12:00:15Z"), every).isPresent(), "under 10 s: nothing yet");
        assertEquals(Optional.of("12:00:20  … shift-traffic-10          running 10 s"),
                timeline.periodic(d, Instant.parse("2026-01-15T12:00:20Z"), every));
        assertFalse(timeline.periodic(d, Instant.parse("2026-01-15T12:00:25Z"), every).isPresent(), "once per 10 s");
        assertEquals(Optional.of("12:00:31  … shift-traffic-10          running 21 s"),
                timeline.periodic(d, Instant.parse("2026-01-15T12:00:31Z"), every));
        assertFalse(timeline.progress(Snapshots.rolledBack(), Instant.parse("2026-01-15T12:01:00Z")).isPresent());
    }

    @Test
    void shouldColourOnlyWhenAsked() {
        Timeline coloured = new Timeline(new Style(true), ZoneOffset.UTC);
        assertTrue(String.join("\n", coloured.update(Snapshots.compensating())).contains("\033[0;31m"), "breach in red");
        assertFalse(String.join("\n", timeline.update(Snapshots.compensating())).contains("\033["));
    }
}

package dev.runway.cli.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.runway.cli.ExitCodes;
import dev.runway.cli.api.UnreachableException;
import dev.runway.cli.api.Views;
import dev.runway.cli.console.Style;

/** The follow loop over recorded snapshots with a clock that moves only when the loop sleeps. */
class FollowerTest {

    /** A clock the sleeper advances. */
    static final class StepClock extends Clock {
        Instant now;

        StepClock(Instant start) {
            now = start;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final StepClock clock = new StepClock(Instant.parse("2026-01-15T12:00:01Z"));

    private Follower follower(Follower.Source source, boolean tty) {
        return new Follower(source, new Timeline(new Style(false), ZoneOffset.UTC), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), tty, false, clock, d -> clock.now = clock.now.plus(d),
                Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    /** Serves the snapshots in order, repeating the last one. */
    private static Follower.Source replay(Views.Deployment... snapshots) {
        Deque<Views.Deployment> queue = new ArrayDeque<>(List.of(snapshots));
        return () -> new Follower.Snapshot(queue.size() > 1 ? queue.poll() : queue.peek(), null);
    }

    private String printed() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldFollowToRolledBackAndExitOne() throws InterruptedException {
        Follower.Result result = follower(replay(Snapshots.validating(), Snapshots.shifting(), Snapshots.shifting(),
                Snapshots.compensating(), Snapshots.rolledBack()), false).follow(Duration.ofMinutes(15));
        assertEquals(ExitCodes.DEPLOYMENT_FAILED, result.exitCode());
        assertEquals("ROLLED_BACK", result.last().view().state());
        String text = printed();
        assertTrue(text.startsWith("Deployment " + Snapshots.ID + ": acme-shop 1.2.0 → staging (canary on host)\n"), text);
        assertEquals(1, text.split("✓ deploy-green", -1).length - 1, "each line printed once:\n" + text);
        assertEquals(1, text.split("▸ shift-traffic-10", -1).length - 1, text);
        assertTrue(text.contains("◆ health: BREACH"), text);
        // Non-terminal: the running shift step was polled at 12:00:06 and 12:00:11: its 10 s mark is not reached
        // (its start is 12:00:10), so no progress line; the summary closes the output.
        assertTrue(text.strip().endsWith("↺ ROLLED_BACK  acme-shop 1.2.0 → staging in 44 s: " + Snapshots.REASON), text);
    }

    @Test
    void shouldPrintAProgressLineEveryTenSecondsWhenNotATerminal() throws InterruptedException {
        Views.Deployment shifting = Snapshots.shifting();
        Views.Deployment[] polls = new Views.Deployment[8];
        Arrays.fill(polls, shifting);
        polls[7] = Snapshots.rolledBack();
        clock.now = Instant.parse("2026-01-15T12:00:12Z");
        follower(replay(polls), false).follow(null);
        String text = printed();
        // Polls every 5 s from 12:00:12: the step started at 12:00:10 crosses 10 s, 20 s and 30 s.
        assertTrue(text.contains("12:00:22  … shift-traffic-10          running 12 s\n"), text);
        assertTrue(text.contains("12:00:32  … shift-traffic-10          running 22 s\n"), text);
        assertTrue(text.contains("12:00:42  … shift-traffic-10          running 32 s\n"), text);
        assertEquals(3, text.split("running", -1).length - 1, text);
        assertTrue(!text.contains("\r"), "no in-place redraw when not a terminal");
    }

    @Test
    void shouldRedrawProgressInPlaceOnATerminal() throws InterruptedException {
        follower(replay(Snapshots.shifting(), Snapshots.shifting(), Snapshots.rolledBack()), true).follow(null);
        String text = printed();
        assertTrue(text.contains("\r\033[K"), text);
        assertTrue(text.contains("running"), text);
    }

    @Test
    void shouldMapFinalStatesToExitCodes() throws InterruptedException {
        String base = Snapshots.deployment("%s", null, "2026-01-15T12:00:30Z", Snapshots.NO_APPROVALS, Snapshots.VALIDATE_DONE,
                Snapshots.REQUESTED);
        assertEquals(0, follower(replay(Snapshots.parse(base.formatted("SUCCEEDED"))), false).follow(null).exitCode());
        assertEquals(3, follower(replay(Snapshots.parse(base.formatted("NEEDS_ATTENTION"))), false).follow(null).exitCode());
        assertEquals(1, follower(replay(Snapshots.parse(base.formatted("CANCELLED"))), false).follow(null).exitCode());
        assertEquals(1, follower(replay(Snapshots.parse(base.formatted("FAILED"))), false).follow(null).exitCode());
    }

    @Test
    void shouldGiveUpAtTheTimeoutWithExitFour() throws InterruptedException {
        Follower.Result result = follower(replay(Snapshots.shifting()), false).follow(Duration.ofSeconds(60));
        assertEquals(ExitCodes.TIMEOUT, result.exitCode());
        String errors = err.toString(StandardCharsets.UTF_8);
        assertTrue(errors.contains("timed out after 1 min 0 s: the deployment is still SHIFTING"), errors);
        assertTrue(errors.contains("runway logs " + Snapshots.ID + " --follow"), errors);
    }

    @Test
    void shouldRideOutABriefOutageButNotALongOne() throws InterruptedException {
        int[] calls = { 0 };
        Follower.Source flaky = () -> {
            calls[0]++;
            if (calls[0] == 2 || calls[0] == 3) {
                throw new UnreachableException("cannot reach the orchestrator");
            }
            return new Follower.Snapshot(calls[0] < 5 ? Snapshots.shifting() : Snapshots.rolledBack(), null);
        };
        assertEquals(1, follower(flaky, false).follow(null).exitCode());

        Follower.Source down = () -> {
            throw new UnreachableException("cannot reach the orchestrator");
        };
        assertThrows(UnreachableException.class, () -> follower(down, false).follow(null));
    }
}

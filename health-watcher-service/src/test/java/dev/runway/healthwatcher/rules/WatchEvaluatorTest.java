package dev.runway.healthwatcher.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.runway.events.IncidentPriority;
import dev.runway.events.RollbackMode;

/** The rules on synthetic 1 s series: no clock, no I/O. */
class WatchEvaluatorTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final String URL = "http://app/q/metrics";

    static WatchEvaluator.Settings settings(int sustained, int window) {
        return new WatchEvaluator.Settings(5, 2000.0, null, Duration.ofSeconds(sustained), null, Duration.ofSeconds(window), 50, 2,
                DecisionMatrix.SEED, true);
    }

    /** Feeds error-rate values one per second from T0+1s; returns the first non-continue verdict and its second. */
    static Result run(WatchEvaluator e, double... errorRates) {
        for (int i = 0; i < errorRates.length; i++) {
            Verdict v = e.tick(T0.plusSeconds(i + 1), List.of(new Observation("api", Metric.ERROR_RATE, URL, errorRates[i])));
            if (!(v instanceof Verdict.Continue)) {
                return new Result(v, i + 1);
            }
        }
        return new Result(Verdict.CONTINUE, errorRates.length);
    }

    record Result(Verdict verdict, int second) {
    }

    static double[] repeat(double v, int n) {
        double[] out = new double[n];
        Arrays.fill(out, v);
        return out;
    }

    static double[] concat(double[]... parts) {
        List<Double> all = new ArrayList<>();
        for (double[] p : parts) {
            for (double d : p) {
                all.add(d);
            }
        }
        return all.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void sustainedBreachFiresAtExactlyTheSampleThatCompletesTheWindow() {
        // Bad from second 3; sustained 10 s: the sample at second 13 (3 + 10) completes it, not 12.
        Result r = run(new WatchEvaluator(settings(10, 600), T0), concat(repeat(1, 2), repeat(30, 20)));
        Verdict.Breached b = assertInstanceOf(Verdict.Breached.class, r.verdict());
        assertEquals(13, r.second());
        assertEquals(T0.plusSeconds(13), b.breach().completedAt());
        assertEquals(11, b.breach().samples().size(), "evidence = the whole run, seconds 3..13");
        assertEquals("error_rate", b.breach().metric().key());
        assertEquals(30, b.breach().value());
        assertEquals(5, b.breach().threshold());
    }

    @Test
    void oneSampleShortOfTheWindowDoesNotBreach() {
        // 10 bad samples span 9 s: a transient spike under a 10 s rule.
        Result r = run(new WatchEvaluator(settings(10, 600), T0), concat(repeat(30, 10), repeat(1, 30)));
        assertInstanceOf(Verdict.Continue.class, r.verdict());
    }

    @Test
    void transientSpikesThatKeepRecoveringNeverBreach() {
        double[] series = new double[120];
        for (int i = 0; i < series.length; i++) {
            series[i] = i % 5 == 4 ? 1 : 50; // four bad seconds, one good, again and again
        }
        assertInstanceOf(Verdict.Continue.class, run(new WatchEvaluator(settings(5, 600), T0), series).verdict());
    }

    @Test
    void valueEqualToTheThresholdIsNotABreach() {
        assertInstanceOf(Verdict.Continue.class, run(new WatchEvaluator(settings(0, 600), T0), repeat(5, 10)).verdict());
        Result r = run(new WatchEvaluator(settings(0, 600), T0), 5, 5.0001);
        assertInstanceOf(Verdict.Breached.class, r.verdict());
        assertEquals(2, r.second(), "sustained 0 s: the first sample above the threshold breaches");
    }

    @Test
    void noDataGapsNeitherEndNorExtendARun() {
        // Bad, then the endpoint goes quiet, then bad again: the run is still the same run.
        Result r = run(new WatchEvaluator(settings(6, 600), T0), 30, 30, Double.NaN, Double.NaN, 30, 30, 30, 30);
        Verdict.Breached b = assertInstanceOf(Verdict.Breached.class, r.verdict());
        assertEquals(7, r.second());
        assertTrue(b.breach().samples().stream().anyMatch(p -> !p.hasData()), "the gaps are part of the evidence");
        assertEquals(30, b.breach().value());
    }

    @Test
    void breachValueIsTheLeastBadValueOfTheRunAndSetsTheMatrixPriority() {
        Verdict.Breached p1 = assertInstanceOf(Verdict.Breached.class,
                run(new WatchEvaluator(settings(2, 600), T0), 40, 7, 12).verdict());
        assertEquals(7, p1.breach().value());
        assertEquals(IncidentPriority.P1, p1.decision().priority());
        assertEquals(RollbackMode.RECOMMENDED, p1.decision().mode());
        assertEquals(300, p1.decision().timeframeSeconds());

        Verdict.Breached p0 = assertInstanceOf(Verdict.Breached.class,
                run(new WatchEvaluator(settings(2, 600), T0), 40, 11, 12).verdict());
        assertEquals(IncidentPriority.P0, p0.decision().priority());
        assertEquals(RollbackMode.AUTOMATIC, p0.decision().mode());
        assertEquals(0, p0.decision().timeframeSeconds());
        assertTrue(p0.decision().reason().contains("error_rate 11 % > 5 % for 2 s"), p0.decision().reason());
    }

    @Test
    void healthyWindowPassesAtItsEndAndNotBefore() {
        WatchEvaluator e = new WatchEvaluator(settings(3, 10), T0);
        Result r = run(e, repeat(1, 15));
        Verdict.Passed p = assertInstanceOf(Verdict.Passed.class, r.verdict());
        assertEquals(10, r.second(), "window of 10 s from T0 ends with the sample at T0+10s");
        assertEquals(10, p.samples());
        assertTrue(p.summary().contains("error_rate max 1 % ≤ 5 %"), p.summary());
    }

    @Test
    void aRunUnderWayAtTheWindowsEndHoldsTheVerdictUntilItBreaches() {
        // Window 10 s, bad from second 8, sustained 5 s: no pass at second 10; breach at second 13.
        Result r = run(new WatchEvaluator(settings(5, 10), T0), concat(repeat(1, 7), repeat(30, 10)));
        assertInstanceOf(Verdict.Breached.class, r.verdict());
        assertEquals(13, r.second());
    }

    @Test
    void aRunUnderWayAtTheWindowsEndThatClearsThenPasses() {
        Result r = run(new WatchEvaluator(settings(5, 10), T0), concat(repeat(1, 8), repeat(30, 3), repeat(1, 5)));
        assertInstanceOf(Verdict.Passed.class, r.verdict());
        assertEquals(12, r.second(), "passes at the first clean sample after the run");
    }

    @Test
    void noTrafficIsInsufficientDataNeverAPass() {
        WatchEvaluator e = new WatchEvaluator(settings(3, 10), T0);
        Result first = run(e, repeat(Double.NaN, 10));
        Verdict.Extended ext = assertInstanceOf(Verdict.Extended.class, first.verdict());
        assertEquals(1, ext.insufficientWindows());
        assertEquals(0, ext.coveragePercent());
        assertEquals(T0.plusSeconds(20), ext.newWindowEnd());
        // Second window also empty: the watch fails with metric insufficient_data.
        Verdict v = Verdict.CONTINUE;
        int second = 10;
        while (v instanceof Verdict.Continue) {
            second++;
            v = e.tick(T0.plusSeconds(second), List.of(new Observation("api", Metric.ERROR_RATE, URL, Double.NaN, "no traffic")));
        }
        Verdict.Breached b = assertInstanceOf(Verdict.Breached.class, v);
        assertEquals(20, second);
        assertEquals("insufficient_data", b.breach().metric().key());
        assertEquals(0, b.breach().value());
        assertEquals(50, b.breach().threshold());
        assertEquals(10, b.breach().samples().size());
        assertEquals(RollbackMode.RECOMMENDED, b.decision().mode());
        assertTrue(b.decision().reason().contains("do not promote"), b.decision().reason());
    }

    @Test
    void aGreenSlotWithoutUserTrafficPassesOnHealthAloneButStillBreachesOnSmokeTestErrors() {
        WatchEvaluator.Settings verify = new WatchEvaluator.Settings(5, 2000.0, null, Duration.ofSeconds(2), null,
                Duration.ofSeconds(5), 50, 2, DecisionMatrix.SEED, false);
        WatchEvaluator quiet = new WatchEvaluator(verify, T0);
        Verdict v = Verdict.CONTINUE;
        for (int i = 1; i <= 5; i++) {
            v = quiet.tick(T0.plusSeconds(i), List.of(new Observation("api", Metric.ERROR_RATE, URL, Double.NaN, "no traffic"),
                    new Observation("api", Metric.HEALTH, URL, 0)));
        }
        assertInstanceOf(Verdict.Passed.class, v, "before the shift no user reaches green: health decides");

        WatchEvaluator unhealthy = new WatchEvaluator(verify, T0);
        v = Verdict.CONTINUE;
        for (int i = 1; i <= 5 && v instanceof Verdict.Continue; i++) {
            v = unhealthy.tick(T0.plusSeconds(i), List.of(new Observation("api", Metric.ERROR_RATE, URL, Double.NaN, "no traffic"),
                    new Observation("api", Metric.HEALTH, URL, 1)));
        }
        assertEquals(Metric.HEALTH, assertInstanceOf(Verdict.Breached.class, v).breach().metric());

        WatchEvaluator smoke = new WatchEvaluator(verify, T0);
        v = Verdict.CONTINUE;
        for (int i = 1; i <= 5 && v instanceof Verdict.Continue; i++) {
            v = smoke.tick(T0.plusSeconds(i), List.of(new Observation("api", Metric.ERROR_RATE, URL, 40),
                    new Observation("api", Metric.HEALTH, URL, 0)));
        }
        assertEquals(Metric.ERROR_RATE, assertInstanceOf(Verdict.Breached.class, v).breach().metric(),
                "errors the green slot does show still count");

        WatchEvaluator live = new WatchEvaluator(settings(2, 5), T0);
        v = Verdict.CONTINUE;
        for (int i = 1; i <= 5; i++) {
            v = live.tick(T0.plusSeconds(i), List.of(new Observation("api", Metric.ERROR_RATE, URL, Double.NaN, "no traffic"),
                    new Observation("api", Metric.HEALTH, URL, 0)));
        }
        assertInstanceOf(Verdict.Extended.class, v, "where traffic is expected, health alone is not enough");
    }

    @Test
    void coverageBelowTheMinimumIsInsufficientAndAtTheMinimumPasses() {
        // 10 ticks, 4 with data (40 %) → extended; 5 with data (50 %) → passes.
        double[] forty = concat(repeat(1, 4), repeat(Double.NaN, 6));
        assertInstanceOf(Verdict.Extended.class, run(new WatchEvaluator(settings(3, 10), T0), forty).verdict());
        double[] fifty = concat(repeat(Double.NaN, 5), repeat(1, 5));
        assertInstanceOf(Verdict.Passed.class, run(new WatchEvaluator(settings(3, 10), T0), fifty).verdict());
    }

    @Test
    void aWatchWithoutAnyRequiredSeriesNeverPasses() {
        WatchEvaluator e = new WatchEvaluator(settings(3, 5), T0);
        Verdict v = Verdict.CONTINUE;
        for (int s = 1; s <= 5; s++) {
            v = e.tick(T0.plusSeconds(s), List.of());
        }
        assertInstanceOf(Verdict.Extended.class, v);
    }

    @Test
    void failingHealthIsAnAutomaticP0OnceSustained() {
        WatchEvaluator e = new WatchEvaluator(settings(2, 600), T0);
        Verdict v = Verdict.CONTINUE;
        int s = 0;
        while (v instanceof Verdict.Continue && s < 10) {
            s++;
            v = e.tick(T0.plusSeconds(s), List.of(
                    new Observation("api", Metric.ERROR_RATE, URL, 0),
                    new Observation("api", Metric.HEALTH, "http://app/health", s >= 2 ? 1 : 0, "expected 200, got 503 after 3 attempt(s)")));
        }
        Verdict.Breached b = assertInstanceOf(Verdict.Breached.class, v);
        assertEquals(4, s);
        assertEquals("health_check_failing", b.breach().metric().key());
        assertEquals(IncidentPriority.P0, b.decision().priority());
        assertEquals(RollbackMode.AUTOMATIC, b.decision().mode());
        assertTrue(b.decision().reason().contains("got 503"), b.decision().reason());
    }

    @Test
    void latencyBreachUsesTheP99ThresholdAndTheLatencyMatrix() {
        WatchEvaluator e = new WatchEvaluator(settings(1, 600), T0);
        Verdict v = Verdict.CONTINUE;
        for (int s = 1; s <= 3 && v instanceof Verdict.Continue; s++) {
            v = e.tick(T0.plusSeconds(s), List.of(new Observation("api", Metric.ERROR_RATE, URL, 0),
                    new Observation("api", Metric.LATENCY_P99, URL, 2500)));
        }
        Verdict.Breached b = assertInstanceOf(Verdict.Breached.class, v);
        assertEquals(Metric.LATENCY_P99, b.breach().metric());
        assertEquals(IncidentPriority.P1, b.decision().priority());
        assertEquals(600, b.decision().timeframeSeconds());
    }

    @Test
    void whenTwoRulesBreachTogetherTheHigherPriorityWins() {
        WatchEvaluator e = new WatchEvaluator(settings(0, 600), T0);
        Verdict v = e.tick(T0.plusSeconds(1), List.of(new Observation("api", Metric.LATENCY_P99, URL, 2500),
                new Observation("api", Metric.ERROR_RATE, URL, 50)));
        Verdict.Breached b = assertInstanceOf(Verdict.Breached.class, v);
        assertEquals(Metric.ERROR_RATE, b.breach().metric());
        assertEquals(IncidentPriority.P0, b.decision().priority());
    }

    @Test
    void baselineDegradationBreachesOnlyWhenBothVersionsAreMeasurable() {
        WatchEvaluator.Settings s = new WatchEvaluator.Settings(5, null, null, Duration.ofSeconds(2), 50.0, Duration.ofSeconds(8), 50, 2,
                DecisionMatrix.SEED, true);
        WatchEvaluator e = new WatchEvaluator(s, T0);
        // Seconds 1-4: stable version without traffic (NaN) while the new one is slow: no breach, no insufficiency.
        // Seconds 5-8: 40 % slower: within the allowed 50 %. Window passes.
        Verdict v = Verdict.CONTINUE;
        for (int i = 1; i <= 8; i++) {
            v = e.tick(T0.plusSeconds(i), List.of(new Observation("api", Metric.ERROR_RATE, URL, 0),
                    new Observation("api", Metric.BASELINE_DEGRADATION, URL, i <= 4 ? Double.NaN : 40)));
        }
        assertInstanceOf(Verdict.Passed.class, v);

        WatchEvaluator slow = new WatchEvaluator(s, T0);
        v = Verdict.CONTINUE;
        int i = 0;
        while (v instanceof Verdict.Continue) {
            i++;
            v = slow.tick(T0.plusSeconds(i), List.of(new Observation("api", Metric.ERROR_RATE, URL, 0),
                    new Observation("api", Metric.BASELINE_DEGRADATION, URL, 80, "p95 180 ms vs stable 100 ms")));
        }
        Verdict.Breached b = assertInstanceOf(Verdict.Breached.class, v);
        assertEquals(3, i);
        assertEquals("latency_p95_over_baseline", b.breach().metric().key());
        assertEquals(RollbackMode.AUTOMATIC, b.decision().mode());
        assertEquals(IncidentPriority.P1, b.decision().priority());
    }

    @Test
    void afterAVerdictTheEvaluatorSaysNothingMore() {
        WatchEvaluator e = new WatchEvaluator(settings(0, 600), T0);
        assertInstanceOf(Verdict.Breached.class, e.tick(T0.plusSeconds(1), List.of(new Observation("api", Metric.ERROR_RATE, URL, 50))));
        assertInstanceOf(Verdict.Continue.class, e.tick(T0.plusSeconds(2), List.of(new Observation("api", Metric.ERROR_RATE, URL, 50))));
    }
}

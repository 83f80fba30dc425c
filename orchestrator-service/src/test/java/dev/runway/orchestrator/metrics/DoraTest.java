package dev.runway.orchestrator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.runway.orchestrator.saga.DeploymentState;

/** DORA keys from finished deployments, without a database. */
class DoraTest {

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private static Dora.Row row(DeploymentState state, int startMinute, int durationMinutes) {
        Instant requested = T0.plus(Duration.ofMinutes(startMinute));
        return new Dora.Row(state, requested, requested.plusSeconds(5), requested.plus(Duration.ofMinutes(durationMinutes)));
    }

    @Test
    void shouldComputeTheFourKeys() {
        List<Dora.Row> rows = List.of(
                row(DeploymentState.SUCCEEDED, 0, 10),
                row(DeploymentState.ROLLED_BACK, 60, 20),      // failure finished at minute 80
                row(DeploymentState.SUCCEEDED, 120, 30),       // recovery at minute 150: 70 minutes later
                row(DeploymentState.SUCCEEDED, 200, 20),
                new Dora.Row(DeploymentState.FAILED, T0, null, T0.plusSeconds(30)), // failed validation: changed nothing
                row(DeploymentState.CANCELLED, 300, 1));
        Dora.Figures f = Dora.compute("staging", 2, rows);
        assertEquals(3, f.deployments());
        assertEquals(1.5, f.deploymentsPerDay());
        assertEquals(20 * 60.0, f.leadTimeMedianSeconds());
        assertEquals(25.0, f.changeFailureRatePercent());
        assertEquals(70 * 60.0, f.mttrSeconds());
        assertEquals("target (daily)", f.frequencyBand());
        assertEquals("below acceptable", f.changeFailureBand());
        assertEquals("acceptable", f.mttrBand(), "70 min: over the 1 h target, under the 4 h acceptable");
    }

    @Test
    void shouldPairAFailureWithTheNextSuccessOfTheSameProjectOnly() {
        Instant t = T0;
        List<Dora.Row> rows = List.of(
                new Dora.Row("shop", DeploymentState.ROLLED_BACK, t, t.plusSeconds(5), t.plusSeconds(60)),
                new Dora.Row("blog", DeploymentState.SUCCEEDED, t, t.plusSeconds(5), t.plusSeconds(120)),   // another project: repairs nothing
                new Dora.Row("shop", DeploymentState.SUCCEEDED, t, t.plusSeconds(5), t.plusSeconds(660)));  // shop recovered 600 s later
        Dora.Figures f = Dora.compute("staging", 1, rows);
        assertEquals(600.0, f.mttrSeconds());
        assertEquals(2, f.deployments());
    }

    @Test
    void shouldSayNoDataRatherThanZero() {
        Dora.Figures f = Dora.compute("production", 30, List.of());
        assertNull(f.leadTimeMedianSeconds());
        assertNull(f.changeFailureRatePercent());
        assertEquals("no data", f.mttrBand());
    }
}

package dev.runway.orchestrator.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.runway.orchestrator.saga.DeploymentState;

/**
 * The four DORA keys (sop.md 004 "Deployment Metrics") over a period, from finished deployments of
 * one environment (of every project the caller may see, or of one client or project). Pure: fed rows, returns figures, so it is tested without a database.
 *
 * <ul>
 *   <li>frequency: successful deployments per day;</li>
 *   <li>lead time: median from request to success (Runway sees the request, not the commit; a
 *       request carrying CI evidence starts closer to the commit);</li>
 *   <li>change failure rate: deployments that changed something and then failed (rolled back,
 *       needs attention, failed after the lock) over all that changed something;</li>
 *   <li>MTTR: mean time from such a failure to the next success in the same project environment
 *       (another project's success repairs nothing).</li>
 * </ul>
 */
public final class Dora {

    /** A finished, non-dry-run deployment of a project. {@code started} is null when it never took the lock. */
    public record Row(String project, DeploymentState state, Instant requested, Instant started, Instant finished) {

        /** A row of a single-project series. */
        public Row(DeploymentState state, Instant requested, Instant started, Instant finished) {
            this("", state, requested, started, finished);
        }
    }

    public record Figures(String environment, int days, long deployments, double deploymentsPerDay,
            Double leadTimeMedianSeconds, Double changeFailureRatePercent, Double mttrSeconds, long failures,
            String frequencyBand, String leadTimeBand, String changeFailureBand, String mttrBand) {
    }

    private static final Set<DeploymentState> FAILED = EnumSet.of(DeploymentState.ROLLED_BACK, DeploymentState.NEEDS_ATTENTION,
            DeploymentState.FAILED);

    private Dora() {
    }

    public static Figures compute(String environment, int days, List<Row> rows) {
        List<Row> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparing(Row::finished));
        List<Double> leadTimes = new ArrayList<>();
        long succeeded = 0;
        long changed = 0;
        long failures = 0;
        double recoverySeconds = 0;
        long recoveries = 0;
        Map<String, Instant> openFailure = new HashMap<>();
        for (Row row : sorted) {
            boolean success = row.state() == DeploymentState.SUCCEEDED;
            boolean failure = FAILED.contains(row.state()) && row.started() != null;
            if (success) {
                succeeded++;
                leadTimes.add(Duration.between(row.requested(), row.finished()).toMillis() / 1000.0);
                Instant open = openFailure.remove(row.project());
                if (open != null) {
                    recoverySeconds += Duration.between(open, row.finished()).toMillis() / 1000.0;
                    recoveries++;
                }
            }
            if (success || failure) {
                changed++;
            }
            if (failure) {
                failures++;
                openFailure.putIfAbsent(row.project(), row.finished());
            }
        }
        double perDay = days <= 0 ? 0 : (double) succeeded / days;
        Double lead = median(leadTimes);
        Double cfr = changed == 0 ? null : 100.0 * failures / changed;
        Double mttr = recoveries == 0 ? null : recoverySeconds / recoveries;
        return new Figures(environment, days, succeeded, perDay, lead, cfr, mttr, failures,
                perDay >= 1 ? "target (daily)" : perDay >= 1.0 / 7 ? "acceptable (weekly)" : "below minimum",
                band(lead, 86_400, 604_800), band(cfr, 5, 15), band(mttr, 3_600, 14_400));
    }

    /** sop.md 004's targets: below {@code target} is "target", below {@code acceptable} "acceptable". */
    private static String band(Double value, double target, double acceptable) {
        if (value == null) {
            return "no data";
        }
        return value < target ? "target" : value < acceptable ? "acceptable" : "below acceptable";
    }

    private static Double median(List<Double> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}

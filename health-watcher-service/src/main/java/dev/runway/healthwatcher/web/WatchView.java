package dev.runway.healthwatcher.web;

import java.util.List;

import dev.runway.events.EventHeader;
import dev.runway.events.StartWatch;
import dev.runway.healthwatcher.rules.WatchEvaluator;
import dev.runway.healthwatcher.watch.LiveWatch;

/**
 * A live watch as GET /watches (and so the page) shows it: what is watched, its state, and every
 * series' latest value against its threshold. Values without data are null.
 */
public record WatchView(String watchId, String deploymentId, String environment, String project, String client, String step,
        String version, String phase, int trafficPercent, String state, String startedAt, String lastSampleAt, String windowEndsAt,
        int samples, int insufficientWindows, List<SeriesView> series) {

    /** One series: its latest value, threshold, whether a run above it is under way, and its data coverage. */
    public record SeriesView(String component, String metric, String unit, String source, Double value, Double threshold,
            boolean breaching, String detail, double coveragePercent) {

        static SeriesView of(WatchEvaluator.SeriesView s) {
            return new SeriesView(s.component(), s.metric(), s.unit(), s.source(), Double.isNaN(s.value()) ? null : s.value(),
                    s.threshold(), s.breaching(), s.detail(), s.coveragePercent());
        }
    }

    public static WatchView of(LiveWatch.Snapshot w) {
        StartWatch c = w.command();
        EventHeader h = c.getHeader();
        return new WatchView(c.getWatchId(), h.getDeploymentId(), h.getEnvironment().name(), h.getProject(), h.getClient(),
                c.getStep(), c.getVersion(), c.getPhase().name(), c.getTrafficPercent(), w.state(), w.startedAt().toString(),
                w.lastSampleAt() == null ? null : w.lastSampleAt().toString(), w.windowEndsAt().toString(), w.samples(),
                w.insufficientWindows(), w.series().stream().map(SeriesView::of).toList());
    }
}

package dev.runway.healthwatcher.support;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import dev.runway.events.Envelopes;
import dev.runway.events.Environment;
import dev.runway.events.StartWatch;
import dev.runway.events.StopWatch;
import dev.runway.events.Thresholds;
import dev.runway.events.WatchPhase;
import dev.runway.events.WatchTarget;

/** StartWatch / StopWatch as the orchestrator would send them, for a fresh deployment. */
public final class Commands {

    /** Every test project starts with this: the test profile watches only these (runway.health.only-projects). */
    public static final String PROJECT = "hw-test-shop";

    /** The client (tenant) of {@link #PROJECT}. */
    public static final String CLIENT = "hw-client";

    private Commands() {
    }

    public static StartWatch startWatch(String deploymentId, int windowSeconds, Thresholds thresholds, List<WatchTarget> targets) {
        return startWatch(CLIENT, PROJECT, deploymentId, windowSeconds, thresholds, targets);
    }

    /** A StartWatch of another project environment; {@code project} must start with hw-test- to be watched. */
    public static StartWatch startWatch(String client, String project, String deploymentId, int windowSeconds, Thresholds thresholds,
            List<WatchTarget> targets) {
        return StartWatch.newBuilder()
                .setHeader(Envelopes.first(deploymentId, Environment.STAGING, project, client, Clock.systemUTC()))
                .setWatchId(UUID.randomUUID().toString())
                .setStep("canary-25").setVersion("1.4.0").setPhase(WatchPhase.CANARY_STEP).setTrafficPercent(25)
                .setWindowSeconds(windowSeconds)
                .setThresholds(thresholds)
                .setTargets(targets)
                .build();
    }

    public static Thresholds thresholds(double errorRate, int sustainedSeconds) {
        return Thresholds.newBuilder().setErrorRatePercent(errorRate).setLatencyP99Ms(2000.0).setSustainedSeconds(sustainedSeconds).build();
    }

    public static WatchTarget scrape(DemoApp app) {
        return WatchTarget.newBuilder().setComponent("api").setMetricsUrl(app.metricsUrl()).setHealthUrl(app.healthUrl()).build();
    }

    public static StopWatch stopWatch(StartWatch start, String reason) {
        return StopWatch.newBuilder().setHeader(Envelopes.causedBy(start.getHeader(), Clock.systemUTC()))
                .setWatchId(start.getWatchId()).setReason(reason).build();
    }
}

package dev.runway.healthwatcher.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.runway.access.ProjectNames;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the watcher samples and decides; thresholds themselves come with each StartWatch. */
@ConfigMapping(prefix = "runway.health")
public interface WatcherConfig {

    /** Time between two samples of one watch. */
    @WithDefault("1s")
    Duration scrapeInterval();

    /**
     * Per HTTP request (scrape, probe attempt, Prometheus query), from connecting to the last byte, so a target that
     * trickles its answer cannot hold a watch; below the interval so a tick ends in time.
     */
    @WithDefault("800ms")
    Duration requestTimeout();

    /** Share of a window's ticks that must carry data (error rate, health) for the window to count. */
    @WithDefault("50")
    double minCoveragePercent();

    /** Windows without enough data before the watch fails with metric insufficient_data. */
    @WithDefault("2")
    int insufficientWindows();

    /** Baseline rule when the StartWatch names a baseline endpoint but no allowed degradation (sop.md 001: 50 %). */
    @WithDefault("50")
    double defaultBaselineDegradationPercent();

    /** Largest accepted target list of one StartWatch. */
    @WithDefault("20")
    int maxTargets();

    /**
     * A StartWatch whose window ended longer ago than this is not started: its saga has moved on (the orchestrator's
     * watchdog decided), and a fresh consumer group must never replay a topic's old watches.
     */
    @WithDefault("10m")
    Duration maxCommandAge();

    /** Only watch projects starting with one of these prefixes (sharding; tests use it on the shared broker). */
    Optional<List<String>> onlyProjects();

    Probe probe();

    Matrix matrix();

    Prometheus prometheus();

    Scrape scrape();

    Outbound outbound();

    interface Probe {
        /** Status a health endpoint must answer (sop.md 000-11.1). */
        @WithDefault("200")
        int expectedStatus();

        /** Further attempts within one tick before a probe counts as failed. */
        @WithDefault("2")
        int retries();

        @WithDefault("100ms")
        Duration retryDelay();
    }

    /** Rollback decision matrix levels (sop.md 004). */
    interface Matrix {
        @WithDefault("10")
        double p0ErrorRatePercent();

        @WithDefault("5000")
        double p0LatencyMs();

        @WithDefault("5m")
        Duration errorRateP1Timeframe();

        @WithDefault("10m")
        Duration latencyP1Timeframe();

        @WithDefault("15m")
        Duration insufficientDataTimeframe();
    }

    interface Prometheus {
        /** Prometheus server for targets with a prometheusQuery, unless the environment has its own. */
        Optional<String> url();

        /** Per environment (lower case, e.g. production) Prometheus server. */
        Map<String, String> environments();

        /**
         * Per project environment, keyed {@code <safe project>-<environment>} (e.g. {@code demo-shop-production}, see
         * {@link ProjectNames#projectEnvironment}); wins over the environment's server.
         */
        Map<String, String> projectEnvironments();
    }

    interface Scrape {
        /** Request counter to use before the built-in conventions (http_requests_total, Micrometer's). */
        Optional<String> requestCounter();

        @WithDefault("code")
        String statusLabel();

        @WithDefault("http_request_duration_seconds")
        String durationHistogram();
    }

    /** What the watcher may fetch from StartWatch URLs (scrapes, probes) and how much of an answer it reads. */
    interface Outbound {
        /**
         * Non-public targets (loopback, private, link-local, metadata, ...) that may be fetched anyway: {@code host:port},
         * {@code host:from-to} or a CIDR / IP (every port). None by default: only public addresses are fetched.
         */
        Optional<List<String>> allow();

        /** Largest answer read (scrape, probe, Prometheus query); a longer one is cut off and its sample fails. */
        @WithDefault("2M")
        MemorySize maxResponseBytes();
    }
}

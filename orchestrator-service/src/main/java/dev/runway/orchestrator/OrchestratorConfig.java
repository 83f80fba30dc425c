package dev.runway.orchestrator;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.runway.orchestrator.saga.StepTimeouts;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithDefaults;
import io.smallrye.config.WithName;

/** Everything under {@code runway.*} in application.properties. */
@ConfigMapping(prefix = "runway")
public interface OrchestratorConfig {

    /** Policy per environment (development, staging, uat, production); the manifest may ask for more. */
    @WithDefaults // an environment without its own keys gets the defaults below, so callers never see null
    Map<String, EnvironmentPolicy> environments();

    Lock lock();

    Timeouts timeouts();

    Watch watch();

    Api api();

    /** How often the watchdog looks for expired deadlines, open gates and leases to renew. */
    Schedule watchdog();

    /** How often the outbox relay polls (it is also kicked after every commit). */
    Schedule outbox();

    /** How often the DORA gauges are recomputed. */
    Schedule dora();

    /** The job that decommissions kept releases once their keep period is over. */
    Decommission decommission();

    interface Schedule {
        /** A Quarkus scheduler interval such as 1s or 200ms. */
        @WithDefault("1s")
        String every();
    }

    interface EnvironmentPolicy {
        /** Approvals needed at least, whatever the manifest says (sop.md 000-6.2: two for production). */
        @WithDefault("0")
        int approvals();

        /** kubernetes or host, unless the manifest names a target for the environment. */
        @WithDefault("kubernetes")
        String target();

        /**
         * Targets this environment may deploy to, whatever a manifest asks (issue 15): a request for another is refused
         * with 400 before anything is stored. Operator configuration, e.g.
         * {@code runway.environments.production.allowed-targets=kubernetes}; the executor has its own list
         * ({@code runway.executor.environments.<env>.allowed-targets}) and refuses the command as well.
         */
        @WithDefault("host,kubernetes")
        List<String> allowedTargets();

        /** Health verification of a new version before traffic moves. */
        @WithDefault("60")
        int verifySeconds();

        /** Post-deployment monitoring unless the manifest sets monitoring_window_seconds. */
        @WithDefault("300")
        int monitoringWindowSeconds();

        /** Canary pause unless the manifest sets deployment.canary.pause_seconds. */
        @WithDefault("120")
        int canaryPauseSeconds();

        /**
         * How long the release a blue-green or canary deployment replaced keeps running (for an instant switch back)
         * before Runway sends Decommission for it (sop.md 004: blue kept 24 h;
         * docs/sop.md#003-32-step-7-decommission-the-old-colour).
         */
        @WithDefault("24h")
        Duration keepPrevious();
    }

    interface Decommission {
        /** How often due kept releases are looked for (a Quarkus scheduler interval). */
        @WithDefault("10s")
        String every();

        /** How long a sent Decommission waits for the executor's reply before it is recorded failed and the lock freed. */
        @WithDefault("15m")
        Duration replyTimeout();
    }

    interface Lock {
        /** Lease of the environment lock; renewed every third of it while the saga lives. */
        @WithDefault("30s")
        Duration lease();

        /** Redis key prefix, so that several Runway installations (or test runs) can share one Redis. */
        @WithDefault("runway")
        String keyPrefix();
    }

    interface Timeouts {
        @WithDefault("5m")
        Duration validation();

        @WithDefault("72h")
        Duration approval();

        @WithDefault("7d")
        Duration window();

        @WithDefault("24h")
        Duration lock();

        @WithDefault("30m")
        Duration backup();

        @WithDefault("30m")
        Duration migration();

        @WithDefault("15m")
        Duration deploy();

        @WithDefault("5m")
        Duration traffic();

        /** Added to a watch's own window before the watchdog gives up on the health-watcher. */
        @WithDefault("2m")
        Duration watchGrace();

        @WithDefault("15m")
        Duration compensation();

        default StepTimeouts asStepTimeouts() {
            return new StepTimeouts(validation(), approval(), window(), lock(), backup(), migration(), deploy(),
                    traffic(), watchGrace(), compensation());
        }
    }

    /** Where the health-watcher finds a new version; placeholders {component} {environment} {project} {version} {port} {healthcheck}. */
    interface Watch {
        @WithName("metrics-url-template")
        Optional<String> metricsUrlTemplate();

        @WithName("health-url-template")
        Optional<String> healthUrlTemplate();

        @WithName("baseline-metrics-url-template")
        Optional<String> baselineMetricsUrlTemplate();

        /** SOP default: error rate above 5 % (sop.md 000-10.2). */
        @WithDefault("5")
        double errorRatePercent();

        /** SOP default: p99 above 2 s (sop.md 000-10.2). */
        @WithDefault("2000")
        double latencyP99Ms();

        /** SOP default: sustained for 2 minutes. */
        @WithDefault("120")
        int sustainedSeconds();
    }

    interface Api {
        /** Bodies above this get 413 problem+json (the HTTP layer's own hard limit is above it). */
        @WithDefault("262144")
        long maxBodyBytes();

        /** Page size of GET /deployments when none is asked for. */
        @WithDefault("20")
        int defaultPageSize();
    }
}

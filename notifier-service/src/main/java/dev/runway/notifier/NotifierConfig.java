package dev.runway.notifier;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Everything the notifier reads from configuration, under {@code runway.notifier}. */
@ConfigMapping(prefix = "runway.notifier")
public interface NotifierConfig {

    /** Rules and default routes per environment; key = environment in lower case (production, staging, uat, development). */
    Map<String, EnvironmentRule> environments();

    /**
     * Rules of one project's environments, keyed by the project's safe name ({@link dev.runway.access.ProjectNames#safe},
     * e.g. {@code demo-shop}): {@code projects.<project>.environments.<env>.*}. Where a project names an
     * environment, its rule replaces that environment's rule for the project (a client's own channel, its own
     * webhooks, its own event list); elsewhere the environment's rule applies.
     */
    Map<String, ProjectRules> projects();

    interface ProjectRules {
        /** Key = environment in lower case. */
        Map<String, EnvironmentRule> environments();
    }

    Slack slack();

    Email email();

    /** Generic webhooks configured by operators, by name; environments pick them by name. */
    Map<String, Webhook> webhooks();

    /** Webhooks a manifest lists (deployment.notifications.webhooks). */
    ManifestWebhooks manifestWebhooks();

    Delivery delivery();

    Denoise denoise();

    /** Which non-public addresses HTTP deliveries (Slack, webhooks) may reach. */
    Outbound outbound();

    /** Base URL of a page about a deployment, e.g. https://runway.example.com/deployments/ (the id is appended). */
    Optional<String> deploymentLinkBase();

    interface EnvironmentRule {
        /** Event types (Avro record names) announced here; {@code *} = every type. */
        @WithDefault("*")
        Set<String> events();

        /** Nothing below this severity is announced. */
        @WithDefault("INFO")
        String minSeverity();

        /** Slack channel used when the deployment's manifest names none. */
        Optional<String> slack();

        /** E-mail recipients used when the manifest lists none. */
        Optional<List<String>> email();

        /** Names of configured {@link NotifierConfig#webhooks()} that receive this environment's events. */
        Optional<List<String>> webhooks();
    }

    interface Slack {
        /** Incoming-webhook URL per channel name without '#' (secret). */
        Map<String, String> channels();

        /** Incoming-webhook URL for channels not listed above (secret); the payload names the channel. */
        Optional<String> defaultWebhookUrl();
    }

    interface Email {
        @WithDefault("[Runway] ")
        String subjectPrefix();
    }

    interface Webhook {
        /** Target URL (secret). */
        String url();

        /** HMAC-SHA256 key for the signature header (secret). */
        String secret();
    }

    interface ManifestWebhooks {
        /** HMAC-SHA256 key used to sign requests to manifest webhooks (secret); unset = manifest webhooks are ignored. */
        Optional<String> secret();
    }

    interface Delivery {
        /** Attempts before a delivery becomes a dead letter. */
        @WithDefault("6")
        int maxAttempts();

        /** Delay before the second attempt; doubles each time. */
        @WithDefault("2S")
        Duration initialBackoff();

        @WithDefault("5M")
        Duration maxBackoff();

        /** Fraction of each delay that is random (0 = none, 1 = full jitter). */
        @WithDefault("0.5")
        double jitter();

        /** One attempt may take this long; then it counts as failed. */
        @WithDefault("10S")
        Duration timeout();

        /** How often the dispatcher looks for due retries (read by {@code @Scheduled}; 1 s at least). New deliveries go at once. */
        @WithDefault("1s")
        Duration pollInterval();

        /** How many due deliveries one dispatch pass claims. */
        @WithDefault("100")
        int batchSize();

        /** A claimed delivery whose sender vanished is claimed again after this. */
        @WithDefault("2M")
        Duration lease();

        CircuitBreaker circuitBreaker();
    }

    interface CircuitBreaker {
        /** Calls in the rolling window before the breaker may open. */
        @WithDefault("4")
        int requestVolume();

        @WithDefault("0.75")
        double failureRatio();

        /** How long an open breaker rejects calls before it lets one through. */
        @WithDefault("30S")
        Duration delay();
    }

    interface Outbound {
        /**
         * Targets that may be called although they are loopback, private (RFC 1918, fc00::/7), link-local, cloud
         * metadata or otherwise non-public addresses: {@code host}, {@code host:port}, {@code address},
         * {@code address:port} ({@code [v6]:port}) or a CIDR range. Unset = none: such targets are refused and
         * recorded as dead letters, never called. Public addresses need no entry.
         */
        Optional<List<String>> allow();
    }

    interface Denoise {
        /** Identical notifications to the same endpoint within this window are collapsed into the first. */
        @WithDefault("10M")
        Duration window();

        @WithName("enabled")
        @WithDefault("true")
        boolean enabled();
    }
}

package dev.runway.messaging.inbound;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the inbound pipeline retries a record that failed through no fault of its own ({@code runway.inbound.*}). */
@ConfigMapping(prefix = "runway.inbound")
public interface InboundConfig {

    /** Pause before the first retry; doubled (with jitter) on each further one. */
    @WithDefault("20ms")
    Duration firstBackoff();

    /** Longest pause between two tries: the delay with which a service notices that Postgres, Redis or the registry is back. */
    @WithDefault("30s")
    Duration maxBackoff();

    /**
     * A record still failing after this long makes the service's readiness DOWN (a blip of a few tries does not), so
     * an outage shows on the probe and on the load balancer while the record keeps being retried.
     */
    @WithDefault("10s")
    Duration unreadyAfter();
}

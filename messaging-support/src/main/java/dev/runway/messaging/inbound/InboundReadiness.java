package dev.runway.messaging.inbound;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * DOWN while a record has been failing for longer than {@code runway.inbound.unready-after}: the service is up and
 * keeps retrying, but cannot do its work (its database, Redis or the registry is gone). Readiness, not liveness:
 * restarting the service would not bring the dependency back.
 */
@Readiness
@ApplicationScoped
public class InboundReadiness implements HealthCheck {

    private final InboundRetries retries;

    public InboundReadiness(InboundRetries retries) {
        this.retries = retries;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("inbound records").withData("retrying", retries.count());
        return retries.stalled().map(r -> response.down().withData("oldest", r.record())
                        .withData("failing-since", r.since().toString()).withData("tries", r.tries())
                        .withData("reason", r.reason()).build())
                .orElseGet(() -> response.up().build());
    }
}

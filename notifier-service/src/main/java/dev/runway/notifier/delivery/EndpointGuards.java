package dev.runway.notifier.delivery;

import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;

import dev.runway.notifier.NotifierConfig;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;

/**
 * One SmallRye Fault Tolerance guard per endpoint: a timeout for each attempt and a circuit breaker,
 * so a dead endpoint is left alone for a while (its deliveries wait without spending attempts) and
 * never affects the breakers of the others. Retries are not here: they are durable, in the delivery log.
 */
@ApplicationScoped
public class EndpointGuards {

    private static final TypeLiteral<Uni<Void>> UNI_VOID = new TypeLiteral<>() {
    };

    private final NotifierConfig.Delivery config;
    private final Map<String, TypedGuard<Uni<Void>>> guards = new ConcurrentHashMap<>();
    private final Map<String, CircuitBreakerState> states = new ConcurrentHashMap<>();

    public EndpointGuards(NotifierConfig config) {
        this.config = config.delivery();
    }

    public Uni<Void> call(String endpoint, Supplier<Uni<Void>> attempt) {
        return guards.computeIfAbsent(endpoint, this::build).get(attempt);
    }

    /** Breaker state per endpoint (endpoints never attempted are absent). */
    public Map<String, CircuitBreakerState> states() {
        return Map.copyOf(states);
    }

    private TypedGuard<Uni<Void>> build(String endpoint) {
        states.put(endpoint, CircuitBreakerState.CLOSED);
        return TypedGuard.create(UNI_VOID)
                .withDescription("delivery to " + endpoint)
                .withTimeout().duration(config.timeout().toMillis(), ChronoUnit.MILLIS).done()
                .withCircuitBreaker()
                .requestVolumeThreshold(config.circuitBreaker().requestVolume())
                .failureRatio(config.circuitBreaker().failureRatio())
                .delay(config.circuitBreaker().delay().toMillis(), ChronoUnit.MILLIS)
                // A permanent refusal means the endpoint is up and answering: not an outage.
                .skipOn(DeliveryFailure.Permanent.class)
                .onStateChange(state -> states.put(endpoint, state))
                .done()
                .build();
    }
}

package dev.runway.orchestrator.metrics;

import java.time.Duration;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import dev.runway.events.StepKind;
import dev.runway.orchestrator.saga.DeploymentState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** Prometheus meters of the saga: outcomes, step durations, lock waits and compensations. */
@ApplicationScoped
public class SagaMetrics {

    private final MeterRegistry registry;

    public SagaMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void finished(String environment, DeploymentState state) {
        registry.counter("runway_deployments_finished", "environment", lower(environment), "state", state.name()).increment();
    }

    public void requested(String environment) {
        registry.counter("runway_deployments_requested", "environment", lower(environment)).increment();
    }

    public void step(String environment, String step, StepKind kind, long millis) {
        Timer.builder("runway_step_duration").tag("environment", lower(environment)).tag("step", step)
                .tag("kind", kind.name()).publishPercentileHistogram().register(registry)
                .record(Duration.ofMillis(millis));
    }

    public void lockWait(String environment, Duration wait) {
        Timer.builder("runway_lock_wait").tag("environment", lower(environment)).register(registry).record(wait);
    }

    public void compensation(String environment, String step) {
        registry.counter("runway_compensations", "environment", lower(environment), "step", step).increment();
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}

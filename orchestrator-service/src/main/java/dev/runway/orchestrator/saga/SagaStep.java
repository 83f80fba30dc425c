package dev.runway.orchestrator.saga;

import java.time.Duration;

/**
 * One step of a deployment saga, written beside its compensation.
 *
 * @param name         unique within the saga; echoed by participants in their replies
 * @param action       what the step does
 * @param percent      traffic share for traffic and canary-watch steps, else 0
 * @param compensation what undoes it once it has completed
 * @param onFailure    the decision-matrix entry when it fails
 * @param timeout      deadline for a reply; the watchdog acts when it passes
 */
public record SagaStep(String name, Action action, int percent, Compensation compensation, OnFailure onFailure,
        Duration timeout) {

    public SagaStep {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("step name is required");
        }
    }

    public String compensationName() {
        return "undo-" + name;
    }
}

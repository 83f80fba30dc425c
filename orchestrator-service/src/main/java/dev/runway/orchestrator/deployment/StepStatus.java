package dev.runway.orchestrator.deployment;

/** Where one execution of a saga step stands; stored by name in {@code deployment_step.status}. */
public enum StepStatus {
    RUNNING, COMPLETED, FAILED, ABANDONED
}

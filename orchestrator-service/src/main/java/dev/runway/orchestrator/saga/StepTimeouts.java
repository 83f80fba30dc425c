package dev.runway.orchestrator.saga;

import java.time.Duration;

/** Deadlines per kind of step; a watch step gets its window plus {@code watchGrace}. */
public record StepTimeouts(Duration validation, Duration approval, Duration window, Duration lock, Duration backup,
        Duration migration, Duration deploy, Duration traffic, Duration watchGrace, Duration compensation) {
}

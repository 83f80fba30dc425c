package dev.runway.orchestrator.saga;

import java.time.Duration;

/** Deadlines per kind of step; a watch step gets its window plus {@code watchGrace}. */
public record StepTimeouts(Duration validation, Duration approval, Duration window, Duration lock, Duration backup,
        Duration migration, Duration deploy, Duration traffic, Duration watchGrace, Duration compensation) {

    /** The SOP's rhythm: minutes for commands, a day for people, a week for a deployment window. */
    public static StepTimeouts defaults() {
        return new StepTimeouts(Duration.ofMinutes(5), Duration.ofHours(72), Duration.ofDays(7), Duration.ofHours(24),
                Duration.ofMinutes(30), Duration.ofMinutes(30), Duration.ofMinutes(15), Duration.ofMinutes(5),
                Duration.ofMinutes(2), Duration.ofMinutes(15));
    }
}

package dev.runway.executor.commands;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a command is too old to carry out. Its age is counted up to when it could first run (when this executor
 * received it), not up to when a worker got to it: the time it waits behind other commands is the executor's, not
 * the saga's. Compensations never expire: a saga that is undoing a deployment needs the undo whenever it arrives,
 * and an old one cannot do harm (its fencing token is checked and the command log answers a repeat from its record).
 */
public final class CommandAge {

    /** The commands a saga sends only to undo a step. */
    static final Set<String> COMPENSATIONS = Set.of("RemoveGreen", "RollbackTraffic", "UndoRollout", "RestoreDatabase");

    private CommandAge() {
    }

    /** The command's age if it is over {@code max} and so must not run; empty if it may run. */
    public static Optional<Duration> tooOld(String type, Instant issuedAt, Instant receivedAt, Duration max) {
        if (COMPENSATIONS.contains(type)) {
            return Optional.empty();
        }
        Duration age = Duration.between(issuedAt, receivedAt);
        return age.compareTo(max) > 0 ? Optional.of(age) : Optional.empty();
    }
}

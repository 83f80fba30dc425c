package dev.runway.validator.rules;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import dev.runway.events.MigrationSet;
import dev.runway.events.ValidationOutcome;

/**
 * All checks of one validation run, in phase order, with the seed script's exit semantics, and the migration files
 * the run read ({@code migrations}, null when there are none to speak of), which ValidationPassed records.
 */
public record Report(List<Check> checks, Duration duration, MigrationSet migrations) {

    public Report {
        checks = List.copyOf(checks);
    }

    public Report(List<Check> checks, Duration duration) {
        this(checks, duration, null);
    }

    public long errors() {
        return checks.stream().filter(Check::isError).count();
    }

    public long warnings() {
        return checks.stream().filter(Check::isWarning).count();
    }

    /** Errors block; warnings pass with warnings (sop.md 000-6.1 summary). */
    public ValidationOutcome outcome() {
        if (errors() > 0) {
            return ValidationOutcome.FAILED;
        }
        return warnings() > 0 ? ValidationOutcome.PASSED_WITH_WARNINGS : ValidationOutcome.PASSED;
    }

    public List<Check> failures() {
        return checks.stream().filter(Check::isError).toList();
    }

    /** One line for people and for ValidationFailed.reason: the failed rule ids and their subjects. */
    public String summary() {
        if (errors() == 0) {
            return outcome() + ": " + warnings() + " warnings";
        }
        String first = failures().stream().limit(5)
                .map(c -> c.ruleId() + (c.file() != null ? " (" + c.file() + ")" : "") + ": " + c.message())
                .collect(Collectors.joining("; "));
        long more = errors() - Math.min(errors(), 5);
        return errors() + " errors, " + warnings() + " warnings: " + first + (more > 0 ? "; and " + more + " more" : "");
    }
}

package dev.runway.validator.rules;

import dev.runway.events.CheckStatus;
import dev.runway.events.Severity;

/** The outcome of one rule on one subject (a file, a variable, a component). */
public record Check(Rule rule, Severity severity, CheckStatus status, String file, String message, String hint) {

    public String ruleId() {
        return rule.id();
    }

    public Phase phase() {
        return rule.phase();
    }

    public boolean isError() {
        return status == CheckStatus.FAILED;
    }

    public boolean isWarning() {
        return status == CheckStatus.WARNED;
    }
}

package dev.runway.validator.rules;

import dev.runway.events.Environment;
import dev.runway.events.Severity;

/**
 * Phase 6: tests passed in CI. The request must carry the passed run's reference; without it the
 * gate fails (a warning only for development, like the seed script run locally).
 */
final class TestEvidenceRules implements Validator.PhaseRules {

    static final int MAX_EVIDENCE = 2048;

    @Override
    public void apply(ValidationContext ctx) {
        String evidence = ctx.request.ciEvidence();
        if (evidence == null || evidence.isBlank()) {
            Severity severity = ctx.request.environment() == Environment.DEVELOPMENT ? Severity.WARNING : Severity.ERROR;
            ctx.fail(Rule.CI_EVIDENCE, severity, null, severity == Severity.WARNING
                    ? "No CI evidence - ensure CI tests have passed"
                    : "No CI evidence: " + ctx.environmentName() + " deployments need a passed CI run",
                    "attach the passed CI run (e.g. its URL) to the request (--ci-evidence)");
            return;
        }
        if (evidence.length() > MAX_EVIDENCE || evidence.chars().anyMatch(Character::isISOControl)) {
            ctx.fail(Rule.CI_EVIDENCE, null, "CI evidence is not a run reference (too long or control characters)",
                    "attach the CI run URL or id");
            return;
        }
        ctx.pass(Rule.CI_EVIDENCE, null, "Tests passed in CI: " + evidence.strip());
    }

    @Override
    public Rule backstop() {
        return Rule.CI_EVIDENCE;
    }
}

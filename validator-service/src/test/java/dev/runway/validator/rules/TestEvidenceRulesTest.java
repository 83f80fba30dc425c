package dev.runway.validator.rules;

import static dev.runway.validator.fixtures.Reports.assertFailed;
import static dev.runway.validator.fixtures.Reports.assertPassed;
import static dev.runway.validator.fixtures.Reports.assertWarned;

import org.junit.jupiter.api.Test;

import dev.runway.events.Environment;
import dev.runway.validator.fixtures.FixtureRepo;

/** Phase 6: CI evidence is required beyond development. */
class TestEvidenceRulesTest {

    @Test
    void ciEvidenceIsAWarningForDevelopmentAndAnErrorElsewhere() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            assertPassed(repo.validate(), Rule.CI_EVIDENCE);
            assertWarned(repo.validate(r -> ValidationRequest.of(Environment.DEVELOPMENT)), Rule.CI_EVIDENCE, "No CI evidence");
            for (Environment env : new Environment[] { Environment.STAGING, Environment.UAT, Environment.PRODUCTION }) {
                assertFailed(repo.validate(r -> ValidationRequest.of(env).withCiEvidence("  ")), Rule.CI_EVIDENCE, "No CI evidence");
            }
            assertFailed(repo.validate(r -> r.withCiEvidence("run\u0000with-nul")), Rule.CI_EVIDENCE, "not a run reference");
        }
    }
}

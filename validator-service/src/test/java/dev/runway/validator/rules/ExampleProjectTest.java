package dev.runway.validator.rules;

import static dev.runway.validator.fixtures.Reports.assertPassed;
import static dev.runway.validator.fixtures.Reports.dump;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.runway.events.CheckStatus;
import dev.runway.events.Environment;
import dev.runway.events.ValidationOutcome;
import dev.runway.validator.fixtures.FixtureRepo;

/** examples/acme-shop is the project that passes: every rule passes on it, in staging and production. */
class ExampleProjectTest {

    @Test
    void exampleProjectPassesStagingAndProductionAndEveryRulePassesOnIt() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            Report staging = repo.validate();
            Report production = repo.validate(r -> new ValidationRequest(Environment.PRODUCTION, r.version(), null, r.components(),
                    null, r.ciEvidence(), null));
            assertEquals(ValidationOutcome.PASSED, staging.outcome(), dump(staging));
            assertEquals(ValidationOutcome.PASSED, production.outcome(), dump(production));

            Set<Rule> passed = EnumSet.noneOf(Rule.class);
            for (Report report : new Report[] { staging, production }) {
                report.checks().stream().filter(c -> c.status() == CheckStatus.PASSED).forEach(c -> passed.add(c.rule()));
            }
            assertEquals(EnumSet.allOf(Rule.class), passed, "rules that never passed on the example project");
            assertPassed(production, Rule.PRODUCTION_FROM_MAIN);
        }
    }

    @Test
    void developmentWithoutCiEvidencePassesWithOneWarning() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            Report report = repo.validate(r -> ValidationRequest.of(Environment.DEVELOPMENT).withVersion("1.0.0"));
            assertEquals(ValidationOutcome.PASSED_WITH_WARNINGS, report.outcome(), dump(report));
            assertEquals(1, report.warnings());
            assertEquals(0, report.errors());
        }
    }

    @Test
    void everyPhaseReportsAtLeastOneCheckInPhaseOrder() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            Report report = repo.validate();
            int last = 0;
            for (Check c : report.checks()) {
                assertTrue(c.phase().number() >= last, "checks out of phase order:\n" + dump(report));
                last = c.phase().number();
            }
            for (Phase phase : Phase.values()) {
                assertTrue(report.checks().stream().anyMatch(c -> c.phase() == phase), "no check in " + phase);
            }
        }
    }

    @Test
    void exampleProjectHasNoNodeModulesAndIsSmall() throws Exception {
        try (var files = Files.walk(FixtureRepo.ACME_SHOP)) {
            var all = files.filter(Files::isRegularFile).toList();
            assertTrue(all.stream().noneMatch(p -> p.toString().contains("node_modules")));
            assertTrue(all.size() < 40, "the example should stay small: " + all.size() + " files");
        }
    }
}

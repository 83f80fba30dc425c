package dev.runway.validator.rules;

import static dev.runway.validator.fixtures.Reports.assertFailed;
import static dev.runway.validator.fixtures.Reports.assertPassed;
import static dev.runway.validator.fixtures.Reports.assertStatus;

import org.junit.jupiter.api.Test;

import dev.runway.events.CheckStatus;
import dev.runway.events.Environment;
import dev.runway.validator.fixtures.FixtureRepo;

/** Phase 4: the commit is on a branch, on main for production, and carries the requested tag. */
class CodeStateRulesTest {

    @Test
    void commitOnNoBranchFails() throws Exception {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.git().checkout().setCreateBranch(true).setName("spike").call();
            repo.write("apps/web/public/spike.html", "<p>spike</p>\n");
            String orphan = repo.release("v1.1.0");
            repo.git().checkout().setName("main").call();
            repo.git().branchDelete().setBranchNames("spike").setForce(true).call();
            Report report = repo.validateCommit(orphan, repo.request());
            assertFailed(report, Rule.COMMIT_ON_BRANCH, "is on no branch");
            assertPassed(report, Rule.VERSION_TAG);
        }
    }

    @Test
    void productionOnlyFromMain() throws Exception {
        try (FixtureRepo repo = FixtureRepo.released()) {
            repo.git().checkout().setCreateBranch(true).setName("feature/cart").call();
            repo.write("apps/web/public/cart.html", "<p>cart</p>\n").release("v1.1.0");
            Report production = repo.validate(r -> new ValidationRequest(Environment.PRODUCTION, r.version(), null, r.components(), null,
                    r.ciEvidence(), null));
            assertFailed(production, Rule.PRODUCTION_FROM_MAIN, "Production deployments must be from 'main' (commit is on: feature/cart)");
            Report staging = repo.validate();
            assertStatus(staging, Rule.PRODUCTION_FROM_MAIN, CheckStatus.SKIPPED, "Not a production deployment");
            assertPassed(staging, Rule.COMMIT_ON_BRANCH);
        }
    }

    @Test
    void productionFromARemoteTrackingMainPasses() throws Exception {
        try (FixtureRepo repo = FixtureRepo.released()) {
            // A clone's view: main only as origin/main.
            var update = repo.git().getRepository().updateRef("refs/remotes/origin/main");
            update.setNewObjectId(repo.git().getRepository().resolve("HEAD"));
            update.forceUpdate();
            repo.git().checkout().setCreateBranch(true).setName("release").call();
            repo.git().branchDelete().setBranchNames("main").setForce(true).call();
            Report report = repo.validate(r -> new ValidationRequest(Environment.PRODUCTION, r.version(), null, r.components(), null,
                    r.ciEvidence(), null));
            assertPassed(report, Rule.PRODUCTION_FROM_MAIN);
        }
    }

    @Test
    void requestedVersionMustBeTaggedOnTheCommit() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            assertPassed(repo.validate(r -> r.withVersion("v1.0.0")), Rule.VERSION_TAG);
            assertFailed(repo.validate(r -> r.withVersion("2.0.0")), Rule.VERSION_TAG, "No tag 2.0.0 or v2.0.0");
            assertFailed(repo.validate(r -> r.withVersion("0.9.0")), Rule.VERSION_TAG, "Tag v0.9.0 points at");
            assertFailed(repo.validate(r -> r.withVersion(" ")), Rule.VERSION_TAG, "names no version");
        }
    }
}

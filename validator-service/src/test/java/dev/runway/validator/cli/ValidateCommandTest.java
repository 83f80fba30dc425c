package dev.runway.validator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

import org.junit.jupiter.api.Test;

import dev.runway.validator.fixtures.FixtureRepo;

/** {@code runway validate <dir> --env <env>} on working directories: output shape and exit codes. */
class ValidateCommandTest {

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = ValidateCommand.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void cleanCheckoutOfTheExamplePassesWithExitZero() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            Run run = run(repo.dir().toString(), "--env", "staging", "--release", "1.0.0", "--ci-evidence", FixtureRepo.CI_RUN, "--no-color");
            assertEquals(0, run.exit(), run.out() + run.err());
            assertTrue(run.out().contains("PHASE 1: Repository Structure Validation"), run.out());
            assertTrue(run.out().contains("PHASE 8: Docker Build Verification"), run.out());
            assertTrue(run.out().contains("✓ Found: deploy.manifest.yaml"), run.out());
            assertTrue(run.out().contains("✓ No uncommitted changes"), run.out());
            assertTrue(run.out().contains("✓ Tag v1.0.0 points at commit"), run.out());
            assertTrue(run.out().contains("PASSED: All validations successful"), run.out());
            assertTrue(run.out().contains("Ready for deployment to staging"), run.out());
            assertTrue(!run.out().contains("\033["), "--no-color printed colour codes");
        }
    }

    @Test
    void developmentWithoutCiEvidencePassesWithWarningsAndExitZero() {
        try (FixtureRepo repo = FixtureRepo.released()) {
            Run run = run(repo.dir().toString(), "--env", "development", "--no-color");
            assertEquals(0, run.exit(), run.out());
            assertTrue(run.out().contains("⚠ No CI evidence - ensure CI tests have passed"), run.out());
            assertTrue(run.out().contains("PASSED WITH WARNINGS: 1 warnings"), run.out());
        }
    }

    @Test
    void uncommittedChangesAndMissingFilesFailWithExitOne() throws Exception {
        try (FixtureRepo repo = FixtureRepo.released()) {
            Files.delete(repo.dir().resolve("scripts/rollback.sh"));
            Run run = run(repo.dir().toString(), "--env", "staging", "--ci-evidence", FixtureRepo.CI_RUN, "--no-color");
            assertEquals(1, run.exit(), run.out());
            assertTrue(run.out().contains("✗ Missing required file: scripts/rollback.sh"), run.out());
            assertTrue(run.out().contains("✗ Uncommitted changes detected (1): scripts/rollback.sh"), run.out());
            assertTrue(run.out().contains("    → commit or stash before deploying"), run.out());
            assertTrue(run.out().contains("FAILED: 2 errors, 0 warnings"), run.out());
            assertTrue(run.out().contains("Deployment blocked. Fix errors before proceeding."), run.out());
        }
    }

    @Test
    void gitIgnoredFilesAreNotPartOfTheProject() throws Exception {
        try (FixtureRepo repo = FixtureRepo.released()) {
            Files.writeString(repo.dir().resolve(".env.local"), "JWT_SECRET=local-only-secret\n");
            Files.createDirectories(repo.dir().resolve("apps/web/node_modules/left-pad"));
            Files.writeString(repo.dir().resolve("apps/web/node_modules/left-pad/package.json"), "{}");
            Run run = run(repo.dir().toString(), "--env", "staging", "--ci-evidence", FixtureRepo.CI_RUN, "--no-color");
            assertEquals(0, run.exit(), run.out());
        }
    }

    @Test
    void projectInASubdirectoryOfALargerRepositoryIsValidatedOnItsOwn() {
        try (FixtureRepo repo = FixtureRepo.empty()) {
            repo.copyFrom(FixtureRepo.ACME_SHOP.getParent().getParent().resolve("examples")).write("README.md", "monorepo\n");
            repo.commit("examples");
            Run run = run(repo.dir().resolve("acme-shop").toString(), "--env", "production", "--ci-evidence", FixtureRepo.CI_RUN,
                    "--no-color");
            assertEquals(0, run.exit(), run.out());
            assertTrue(run.out().contains("✓ Production deployment of a commit on main"), run.out());
        }
    }

    @Test
    void directoryWithoutGitHistoryFailsTheCodeStatePhase() throws Exception {
        Path plain = Files.createTempDirectory("runway-plain-");
        try (FixtureRepo empty = FixtureRepo.empty()) {
            empty.copyFrom(FixtureRepo.ACME_SHOP);
            Run noCommit = run(empty.dir().toString(), "--env", "staging", "--ci-evidence", FixtureRepo.CI_RUN, "--no-color");
            assertEquals(1, noCommit.exit(), noCommit.out());
            assertTrue(noCommit.out().contains("✗ Cannot verify code state: the repository has no commit yet"), noCommit.out());

            try (var files = Files.walk(FixtureRepo.ACME_SHOP)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Path target = plain.resolve(FixtureRepo.ACME_SHOP.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(f, target);
                    }
                }
            }
            Run noGit = run(plain.toString(), "--env", "staging", "--ci-evidence", FixtureRepo.CI_RUN, "--no-color");
            assertEquals(1, noGit.exit(), noGit.out());
            assertTrue(noGit.out().contains("✗ Cannot verify code state: not a git repository"), noGit.out());
            assertTrue(noGit.out().contains("✓ Found: deploy.manifest.yaml"), noGit.out());
        } finally {
            try (var files = Files.walk(plain)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void badUsageExitsTwo() {
        assertEquals(2, run("--env", "staging").exit());
        Run unknown = run(".", "--env", "qa");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("unknown environment 'qa'"), unknown.err());
    }
}

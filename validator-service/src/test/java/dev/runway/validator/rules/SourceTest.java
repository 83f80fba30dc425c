package dev.runway.validator.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.runway.events.ValidationOutcome;
import dev.runway.validator.fixtures.FixtureRepo;
import dev.runway.validator.fixtures.Reports;
import dev.runway.validator.source.GitCommitSource;
import dev.runway.validator.source.SourceUnavailableException;

/** Reading the repository: local paths, URLs (cloned), and every way it can fail. */
class SourceTest {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void readsTheCommitNotTheWorkingCopy() throws Exception {
        try (FixtureRepo repo = FixtureRepo.released()) {
            String commit = repo.head();
            repo.delete("scripts/rollback.sh"); // uncommitted: must not matter
            try (GitCommitSource source = GitCommitSource.open(repo.dir().toString(), commit, TIMEOUT)) {
                assertTrue(source.isFile("scripts/rollback.sh"));
                assertEquals(ValidationOutcome.PASSED, FixtureRepo.VALIDATOR.validate(source, repo.request()).outcome());
            }
        }
    }

    @Test
    void clonesAFileUrlAndDeletesTheCloneAfterwards() throws Exception {
        try (FixtureRepo repo = FixtureRepo.released()) {
            GitCommitSource source = GitCommitSource.open(repo.dir().toUri().toString(), repo.head(), TIMEOUT);
            try (source) {
                Report report = FixtureRepo.VALIDATOR.validate(source, repo.request());
                assertEquals(ValidationOutcome.PASSED, report.outcome(), Reports.dump(report));
            }
        }
    }

    @Test
    void unreadableRepositoriesGiveAReason() throws Exception {
        SourceUnavailableException missing = assertThrows(SourceUnavailableException.class,
                () -> GitCommitSource.open("/nonexistent/acme-shop", "0123456789abcdef0123456789abcdef01234567", TIMEOUT));
        assertTrue(missing.getMessage().contains("no repository at /nonexistent/acme-shop"), missing.getMessage());

        Path notGit = Files.createTempDirectory("not-git");
        try {
            SourceUnavailableException plain = assertThrows(SourceUnavailableException.class,
                    () -> GitCommitSource.open(notGit.toString(), "0123456789abcdef0123456789abcdef01234567", TIMEOUT));
            assertTrue(plain.getMessage().contains("no git repository"), plain.getMessage());
        } finally {
            Files.delete(notGit);
        }

        try (FixtureRepo repo = FixtureRepo.released()) {
            SourceUnavailableException unknown = assertThrows(SourceUnavailableException.class,
                    () -> GitCommitSource.open(repo.dir().toString(), "0123456789abcdef0123456789abcdef01234567", TIMEOUT));
            assertTrue(unknown.getMessage().contains("is not in repository"), unknown.getMessage());
            SourceUnavailableException notHex = assertThrows(SourceUnavailableException.class,
                    () -> GitCommitSource.open(repo.dir().toString(), "main~1", TIMEOUT));
            assertTrue(notHex.getMessage().contains("is not a commit id"), notHex.getMessage());
        }

        SourceUnavailableException clone = assertThrows(SourceUnavailableException.class,
                () -> GitCommitSource.open("https://user:t0ken@127.0.0.1:9/acme.git", "0123456789abcdef0123456789abcdef01234567", TIMEOUT));
        assertTrue(clone.getMessage().contains("could not be cloned"), clone.getMessage());
        assertFalse(clone.getMessage().contains("t0ken"), "credentials leaked: " + clone.getMessage());
    }

    @Test
    void unreadableReportIsAFailureNamingTheReason() {
        Report report = Validator.unreadable("no repository at /x", Duration.ZERO);
        assertEquals(ValidationOutcome.FAILED, report.outcome());
        assertEquals(Rule.SOURCE_READABLE, report.failures().get(0).rule());
        assertTrue(report.summary().contains("no repository at /x"));
    }
}

package dev.runway.validator.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.runway.events.ValidationOutcome;
import dev.runway.validator.fixtures.FixtureRepo;
import dev.runway.validator.fixtures.Reports;
import dev.runway.validator.source.CloneLimits;
import dev.runway.validator.source.GitCommitSource;
import dev.runway.validator.source.RepositoryPolicy;
import dev.runway.validator.source.SourceUnavailableException;

/** Reading the repository: local paths and file:// URLs (in place), what the policy refuses, and every way it can fail. */
class SourceTest {

    static final CloneLimits LIMITS = FixtureRepo.LIMITS;
    static final String SOME_COMMIT = "0123456789abcdef0123456789abcdef01234567";
    static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));

    @Test
    void readsTheCommitNotTheWorkingCopy() throws Exception {
        try (FixtureRepo repo = FixtureRepo.released()) {
            String commit = repo.head();
            repo.delete("scripts/rollback.sh"); // uncommitted: must not matter
            try (GitCommitSource source = GitCommitSource.open(repo.dir().toString(), commit, RepositoryPolicy.localUnder(TMP), LIMITS)) {
                assertTrue(source.isFile("scripts/rollback.sh"));
                assertEquals(ValidationOutcome.PASSED, FixtureRepo.VALIDATOR.validate(source, repo.request()).outcome());
            }
        }
    }

    @Test
    void readsAFileUrlInPlaceAtTheRequestedCommitWithoutWritingToIt() throws Exception {
        try (FixtureRepo repo = FixtureRepo.released()) {
            String released = repo.head();
            repo.write("services/api/src/later.js", "module.exports = 1;\n").commit("after the release");
            Map<String, String> before = listing(repo.dir());
            try (GitCommitSource source = GitCommitSource.open(repo.dir().toUri().toString(), released.substring(0, 12),
                    RepositoryPolicy.localUnder(TMP), LIMITS)) {
                assertTrue(source.describe().endsWith(" at " + released.substring(0, 12)), source.describe());
                assertFalse(source.isFile("services/api/src/later.js"), "the requested commit, not the branch's newest");
                Report report = FixtureRepo.VALIDATOR.validate(source, repo.request());
                assertEquals(ValidationOutcome.PASSED, report.outcome(), Reports.dump(report));
            }
            assertEquals(before, listing(repo.dir()), "nothing in the repository was written, touched or added");
        }
    }

    @Test
    void refusesALocalRepositoryLargerThanTheLimit() throws Exception {
        try (FixtureRepo repo = FixtureRepo.released()) {
            CloneLimits tiny = new CloneLimits(Duration.ofSeconds(30), 4 * 1024);
            SourceUnavailableException tooLarge = assertThrows(SourceUnavailableException.class,
                    () -> GitCommitSource.open(repo.dir().toUri().toString(), repo.head(), RepositoryPolicy.localUnder(TMP), tiny));
            assertTrue(tooLarge.getMessage().contains("is larger than the clone limit of 4096 bytes (runway.validator.clone.max-bytes)"),
                    tooLarge.getMessage());
        }
    }

    /** Every file under {@code dir} with its size and modification time. */
    static Map<String, String> listing(Path dir) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.toList()) {
                files.put(dir.relativize(f).toString(), Files.isDirectory(f) ? "dir " + Files.getLastModifiedTime(f)
                        : Files.size(f) + " " + Files.getLastModifiedTime(f));
            }
        }
        return files;
    }

    @Test
    void refusesWhatThePolicyDoesNotAllowBeforeTouchingIt() throws Exception {
        RepositoryPolicy policy = RepositoryPolicy.of(List.of("https", "ssh", "file"), List.of("git.example.com", "*.corp.example:8443"),
                List.of(TMP));
        assertRefused(policy, "http://169.254.169.254/latest/meta-data", "scheme http is not in runway.validator.repositories.allow-schemes");
        assertRefused(policy, "git://git.example.com/acme.git", "scheme git is not in runway.validator.repositories.allow-schemes");
        assertRefused(policy, "https://10.0.0.1/acme.git", "host 10.0.0.1:443 is not in runway.validator.repositories.allow-hosts");
        assertRefused(policy, "https://evil.example.com/acme.git", "host evil.example.com:443 is not in");
        assertRefused(policy, "https://git.corp.example/acme.git", "host git.corp.example:443 is not in");
        assertRefused(policy, "git@internal.example:acme/shop.git", "host internal.example:22 is not in");
        assertRefused(policy, "/etc", "local repositories must lie under runway.validator.repositories.allow-file-roots");
        assertRefused(policy, "file:///etc/", "local repositories must lie under runway.validator.repositories.allow-file-roots");
        assertRefused(policy, TMP + "/../etc", "local repositories must lie under");
        assertRefused(policy, "file://other-host/tmp/x", "names a host; file URLs are local paths");
        assertRefused(RepositoryPolicy.of(List.of("https"), List.of(), List.of()), "https://github.com/acme/shop.git",
                "is not in runway.validator.repositories.allow-hosts (none allowed)");
        assertRefused(RepositoryPolicy.of(List.of("file"), List.of(), List.of()), TMP.toString(), "allow-file-roots (none configured)");

        assertTrue(policy.check("https://git.example.com/acme/shop.git").remote());
        assertTrue(policy.check("ssh://git@build.corp.example:8443/acme.git").remote());
        assertFalse(policy.check(TMP.resolve("some-project").toString()).remote());
    }

    @Test
    void refusesALinkOrAGitDirectoryThatLeadsOutOfTheRoots() throws Exception {
        Path root = Files.createTempDirectory("runway-root-");
        Path outside = Files.createTempDirectory("runway-outside-");
        try (FixtureRepo repo = FixtureRepo.released()) {
            RepositoryPolicy policy = RepositoryPolicy.localUnder(root);
            Files.createSymbolicLink(root.resolve("link"), repo.dir());
            assertRefused(policy, root.resolve("link").toString(), "local repositories must lie under");

            Path worktree = Files.createDirectories(root.resolve("worktree"));
            Files.writeString(worktree.resolve(".git"), "gitdir: " + repo.dir().resolve(".git") + "\n", StandardCharsets.UTF_8);
            assertRefused(policy, worktree.toString(), "its git directory lies outside runway.validator.repositories.allow-file-roots");

            Path bare = Files.createDirectories(root.resolve("bare").resolve("objects").resolve("info"));
            Files.writeString(bare.resolve("alternates"), outside + "\n", StandardCharsets.UTF_8);
            assertRefused(policy, root.resolve("bare").toString(), "its object alternates lie");
        } finally {
            FixtureRepo.deleteTree(root);
            FixtureRepo.deleteTree(outside);
        }
    }

    @Test
    void unreadableRepositoriesGiveAReason() throws Exception {
        RepositoryPolicy policy = RepositoryPolicy.of(List.of("https", "file"), List.of("127.0.0.1"), List.of(TMP));
        Path missingPath = TMP.resolve("nonexistent-acme-shop-" + System.nanoTime());
        SourceUnavailableException missing = assertThrows(SourceUnavailableException.class,
                () -> GitCommitSource.open(missingPath.toString(), SOME_COMMIT, policy, LIMITS));
        assertTrue(missing.getMessage().contains("no repository at " + missingPath), missing.getMessage());

        Path notGit = Files.createTempDirectory("not-git");
        try {
            SourceUnavailableException plain = assertThrows(SourceUnavailableException.class,
                    () -> GitCommitSource.open(notGit.toString(), SOME_COMMIT, policy, LIMITS));
            assertTrue(plain.getMessage().contains("no git repository"), plain.getMessage());
        } finally {
            Files.delete(notGit);
        }

        try (FixtureRepo repo = FixtureRepo.released()) {
            SourceUnavailableException unknown = assertThrows(SourceUnavailableException.class,
                    () -> GitCommitSource.open(repo.dir().toString(), SOME_COMMIT, policy, LIMITS));
            assertTrue(unknown.getMessage().contains("is not in repository"), unknown.getMessage());
            SourceUnavailableException notHex = assertThrows(SourceUnavailableException.class,
                    () -> GitCommitSource.open(repo.dir().toString(), "main~1", policy, LIMITS));
            assertTrue(notHex.getMessage().contains("is not a commit id"), notHex.getMessage());
        }

        SourceUnavailableException clone = assertThrows(SourceUnavailableException.class,
                () -> GitCommitSource.open("https://user:t0ken-S3CRET@127.0.0.1:9/acme.git", SOME_COMMIT, policy, LIMITS));
        assertTrue(clone.getMessage().contains("repository https://***@127.0.0.1:9/acme.git could not be cloned"), clone.getMessage());
        assertFalse(clone.getMessage().contains("t0ken-S3CRET"), "credentials leaked: " + clone.getMessage());
    }

    @Test
    void unreadableReportIsAFailureNamingTheReason() {
        Report report = Validator.unreadable("no repository at /x", Duration.ZERO);
        assertEquals(ValidationOutcome.FAILED, report.outcome());
        assertEquals(Rule.SOURCE_READABLE, report.failures().get(0).rule());
        assertTrue(report.summary().contains("no repository at /x"));
    }

    private static void assertRefused(RepositoryPolicy policy, String url, String reason) {
        SourceUnavailableException refused = assertThrows(SourceUnavailableException.class,
                () -> GitCommitSource.open(url, SOME_COMMIT, policy, LIMITS), url);
        assertTrue(refused.getMessage().contains(reason), url + " → " + refused.getMessage());
        assertTrue(refused.getMessage().contains(" is refused: ") || refused.getMessage().contains("file URLs are local paths"),
                refused.getMessage());
    }
}

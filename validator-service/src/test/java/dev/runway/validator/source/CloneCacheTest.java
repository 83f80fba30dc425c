package dev.runway.validator.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.runway.events.ValidationOutcome;
import dev.runway.messaging.credentials.RepositoryCredentials;
import dev.runway.testsupport.GitHttpServer;
import dev.runway.validator.fixtures.FixtureRepo;
import dev.runway.validator.fixtures.Reports;
import dev.runway.validator.rules.Report;

/**
 * Remote repositories read through the clone cache, served over HTTP by a test git server (git's dumb protocol,
 * token required) from repositories the test makes with JGit: what is cached is read without the network, what is
 * new is fetched and only that, a clone is never served to a request naming another credential reference (or none),
 * concurrent requests fetch once, and the cache stays within its bounds.
 */
class CloneCacheTest {

    static final String TOKEN = "cache-test-token";
    static final RepositoryCredentials.Credential ACME = new RepositoryCredentials.Credential("acme-git", RepositoryCredentials.TOKEN_USER, TOKEN);
    static final RepositoryCredentials.Credential OTHER = new RepositoryCredentials.Credential("other-git", RepositoryCredentials.TOKEN_USER, TOKEN);
    static final CloneLimits LIMITS = FixtureRepo.LIMITS;
    static final RepositoryPolicy POLICY = RepositoryPolicy.of(List.of("http"), List.of("127.0.0.1"), List.of());

    Path cacheDir;
    final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        cacheDir = Files.createTempDirectory("runway-clone-cache-");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        FixtureRepo.deleteTree(cacheDir);
    }

    <T extends AutoCloseable> T keep(T closeable) {
        open.add(closeable);
        return closeable;
    }

    static long objectRequests(GitHttpServer server) {
        return server.requests().stream().filter(r -> r.path().startsWith("objects/")).count();
    }

    static long refsRequests(GitHttpServer server) {
        return server.requests().stream().filter(r -> r.authorised() && r.path().equals("info/refs")).count();
    }

    static Report validate(String url, String commit, RepositoryPolicy policy, CloneLimits limits, RepositoryCredentials.Credential credential,
            CloneCache cache, FixtureRepo repo) throws Exception {
        try (GitCommitSource source = GitCommitSource.open(url, commit, policy, limits, credential, cache)) {
            return FixtureRepo.VALIDATOR.validate(source, repo.request());
        }
    }

    @Test
    void aCachedCommitIsReadWithoutTheNetworkAndANewOneFetchesOnlyWhatIsNew() throws Exception {
        FixtureRepo repo = keep(FixtureRepo.released());
        GitHttpServer server = keep(GitHttpServer.serve(repo.dir(), TOKEN));
        CloneCache cache = new CloneCache(cacheDir, 1L << 30);
        String v1 = repo.head();

        Report first = validate(server.url(), v1, POLICY, LIMITS, ACME, cache, repo);
        assertEquals(ValidationOutcome.PASSED, first.outcome(), Reports.dump(first));
        long cloned = objectRequests(server);
        assertTrue(cloned > 20, "the first request clones: " + cloned + " objects");

        int before = server.requests().size();
        Report again = validate(server.url(), v1, POLICY, LIMITS, ACME, cache, repo);
        assertEquals(ValidationOutcome.PASSED, again.outcome(), Reports.dump(again));
        assertEquals(before, server.requests().size(), "a cached commit is read without asking the server: " + server.requests());

        repo.write("services/api/src/extra.js", "module.exports = 2;\n").commit("one more file");
        String v2 = repo.head();
        try (GitCommitSource source = GitCommitSource.open(server.url(), v2, POLICY, LIMITS, ACME, cache)) {
            assertTrue(source.isFile("services/api/src/extra.js"), "the new commit was fetched");
        }
        long fetched = objectRequests(server) - cloned;
        assertTrue(fetched > 0 && fetched <= 8, "only the new commit's objects (commit, four trees, blob) were fetched: " + fetched);
        try (Stream<Path> clones = Files.list(cacheDir)) {
            assertEquals(1, clones.count(), "one clone for one repository and credential reference");
        }
    }

    @Test
    void aCloneIsNeverReadForAnotherCredentialReferenceOrForNone() throws Exception {
        FixtureRepo repo = keep(FixtureRepo.released());
        GitHttpServer server = keep(GitHttpServer.serve(repo.dir(), TOKEN));
        CloneCache cache = new CloneCache(cacheDir, 1L << 30);
        assertEquals(ValidationOutcome.PASSED, validate(server.url(), repo.head(), POLICY, LIMITS, ACME, cache, repo).outcome());

        // Without a credential the private repository is asked for, and refused, although its commit is cached.
        int before = server.requests().size();
        SourceUnavailableException anonymous = assertThrows(SourceUnavailableException.class,
                () -> GitCommitSource.open(server.url(), repo.head(), POLICY, LIMITS, null, cache));
        assertTrue(anonymous.getMessage().contains("could not be cloned"), anonymous.getMessage());
        assertTrue(server.requests().size() > before, "the server was asked");
        assertTrue(server.requests().subList(before, server.requests().size()).stream().noneMatch(GitHttpServer.Request::authorised));

        // Another reference gets a clone of its own, fetched with its own secret.
        long objects = objectRequests(server);
        assertEquals(ValidationOutcome.PASSED, validate(server.url(), repo.head(), POLICY, LIMITS, OTHER, cache, repo).outcome());
        assertTrue(objectRequests(server) > objects, "fetched again for another credential reference");
        assertNotEquals(CloneCache.key(server.url(), "acme-git"), CloneCache.key(server.url(), "other-git"));
        try (Stream<Path> clones = Files.list(cacheDir)) {
            assertEquals(List.of(CloneCache.key(server.url(), "acme-git") + ".git", CloneCache.key(server.url(), "other-git") + ".git").stream()
                    .sorted().toList(), clones.map(p -> p.getFileName().toString()).sorted().toList(), "no clone for the refused request");
        }
    }

    @Test
    void concurrentRequestsForOneRepositoryFetchItOnce() throws Exception {
        FixtureRepo repo = keep(FixtureRepo.released());
        GitHttpServer server = keep(GitHttpServer.serve(repo.dir(), TOKEN));
        // What one fetch asks for (JGit may ask for info/refs more than once per fetch), in a cache of its own.
        Path single = Files.createTempDirectory("runway-clone-cache-single-");
        try {
            validate(server.url(), repo.head(), POLICY, LIMITS, ACME, new CloneCache(single, 1L << 30), repo);
        } finally {
            FixtureRepo.deleteTree(single);
        }
        long oneFetch = refsRequests(server);
        CloneCache cache = new CloneCache(cacheDir, 1L << 30);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Report>> reports = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                reports.add(pool.submit(() -> {
                    go.await();
                    return validate(server.url(), repo.head(), POLICY, LIMITS, ACME, cache, repo);
                }));
            }
            go.countDown();
            for (Future<Report> r : reports) {
                assertEquals(ValidationOutcome.PASSED, r.get().outcome(), Reports.dump(r.get()));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(oneFetch, refsRequests(server) - oneFetch, "one fetch for four requests: " + server.requests());
    }

    @Test
    void theCacheStaysWithinItsBoundsAndNeverDeletesACloneBeingRead() throws Exception {
        FixtureRepo a = keep(FixtureRepo.released());
        FixtureRepo b = keep(FixtureRepo.released());
        GitHttpServer serverA = keep(GitHttpServer.serve(a.dir(), TOKEN));
        GitHttpServer serverB = keep(GitHttpServer.serve(b.dir(), TOKEN));
        CloneCache cache = new CloneCache(cacheDir, 1); // any second clone is too many
        Path cloneA = cacheDir.resolve(CloneCache.key(serverA.url(), "acme-git") + ".git");
        Path cloneB = cacheDir.resolve(CloneCache.key(serverB.url(), "acme-git") + ".git");

        try (GitCommitSource readingA = GitCommitSource.open(serverA.url(), a.head(), POLICY, LIMITS, ACME, cache)) {
            validate(serverB.url(), b.head(), POLICY, LIMITS, ACME, cache, b);
            assertTrue(Files.isDirectory(cloneA), "a clone being read is not deleted");
            assertTrue(readingA.isFile("deploy.manifest.yaml"));
        }
        validate(serverA.url(), a.head(), POLICY, LIMITS, ACME, cache, a); // cached: no fetch, so no eviction
        b.write("README.md", "changed\n").commit("b moves on");
        validate(serverB.url(), b.head(), POLICY, LIMITS, ACME, cache, b);
        assertFalse(Files.exists(cloneA), "the clone used longest ago is deleted once the cache is over its bound");
        assertTrue(Files.isDirectory(cloneB), "the clone just fetched stays");

        CloneLimits tiny = new CloneLimits(Duration.ofSeconds(30), 4 * 1024);
        SourceUnavailableException tooLarge = assertThrows(SourceUnavailableException.class,
                () -> GitCommitSource.open(serverA.url(), a.head(), POLICY, tiny, ACME, cache));
        assertTrue(tooLarge.getMessage().contains("is larger than the clone limit of 4096 bytes (runway.validator.clone.max-bytes)"),
                tooLarge.getMessage());
        assertFalse(Files.exists(cloneA), "a clone past the limit is not kept");
    }
}

package dev.runway.validator.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RefSpec;

/**
 * Bare clones of remote repositories kept between requests, one per repository URL and credential reference:
 * a request whose commit is already there reads it at once; otherwise the clone is fetched (only what is new).
 * A clone made with one credential reference is never read by a request with another (or with none), so one
 * client's private repository cannot be read through another's request. Each clone is bounded by
 * {@link CloneLimits#maxBytes()}; all of them together by {@code maxTotalBytes}: after a fetch, the clones used
 * longest ago are deleted until the rest fits (never one that a request is reading).
 *
 * <p>Per clone, a read-write lock: fetching (and deleting) writes, reading a commit reads. Two requests for the
 * same repository fetch once; requests for different repositories do not wait for each other.
 */
public final class CloneCache {

    private static final String LAST_USED = "runway-last-used";

    private final Path dir;
    private final long maxTotalBytes;
    private final Map<String, ReentrantReadWriteLock> locks = new ConcurrentHashMap<>();

    public CloneCache(Path dir, long maxTotalBytes) {
        this.dir = dir.toAbsolutePath().normalize();
        this.maxTotalBytes = maxTotalBytes;
    }

    /**
     * A repository opened from the cache, readable until {@link #close()}, which lets it be fetched or deleted again
     * (the repository itself is closed by its reader first; close on the thread that opened it).
     */
    public static final class Lease implements AutoCloseable {
        private final Repository repo;
        private final ReentrantReadWriteLock.ReadLock lock;
        private final boolean fetched;

        private Lease(Repository repo, ReentrantReadWriteLock.ReadLock lock, boolean fetched) {
            this.repo = repo;
            this.lock = lock;
            this.fetched = fetched;
        }

        public Repository repository() {
            return repo;
        }

        /** Whether this request had to fetch (false: the commit was already cached). */
        public boolean fetched() {
            return fetched;
        }

        @Override
        public void close() {
            lock.unlock();
        }
    }

    /** Signals that the fetch made the clone larger than its limit; the clone was deleted. */
    public static final class TooLargeException extends IOException {
        TooLargeException(long maxBytes) {
            super("clone larger than " + maxBytes + " bytes");
        }
    }

    /**
     * The cached clone of {@code url} (for {@code credentialReference}, null for none) holding {@code commit}:
     * opened as it is when it holds the commit, fetched first when it does not.
     */
    public Lease open(String url, String credentialReference, String commit, CloneLimits limits, CredentialsProvider credentials)
            throws IOException, GitAPIException {
        String key = key(url, credentialReference);
        Path clone = dir.resolve(key + ".git");
        ReentrantReadWriteLock lock = locks.computeIfAbsent(key, k -> new ReentrantReadWriteLock());
        lock.readLock().lock();
        try {
            if (Files.isDirectory(clone)) {
                Repository repo = openBare(clone);
                if (holds(repo, commit)) {
                    touch(clone);
                    return new Lease(repo, lock.readLock(), false);
                }
                repo.close();
            }
        } catch (IOException | RuntimeException e) {
            lock.readLock().unlock();
            throw e;
        }
        lock.readLock().unlock();

        lock.writeLock().lock();
        try {
            boolean fresh = !Files.isDirectory(clone);
            Repository repo;
            try {
                repo = fresh ? create(clone, url) : openBare(clone);
            } catch (IOException | GitAPIException | RuntimeException e) {
                deleteTree(clone); // half made, or damaged: the next request starts a clean clone
                throw e;
            }
            try {
                if (!holds(repo, commit)) { // another request may have fetched it meanwhile
                    fetch(repo, clone, limits, credentials);
                }
            } catch (IOException | GitAPIException | RuntimeException e) {
                repo.close();
                if (fresh || e instanceof TooLargeException) {
                    deleteTree(clone);
                }
                throw e;
            }
            touch(clone);
            // Downgrade: keep reading what was just fetched while other requests may read it too.
            lock.readLock().lock();
            lock.writeLock().unlock();
            try {
                evictBeyondTotal(key);
            } catch (RuntimeException e) {
                // eviction is best effort; this request's clone is intact
            }
            return new Lease(repo, lock.readLock(), true);
        } finally {
            if (lock.isWriteLockedByCurrentThread()) {
                lock.writeLock().unlock();
            }
        }
    }

    /** The cache directory's name for a repository: the URL and credential reference hashed (no secret in a path). */
    static String key(String url, String credentialReference) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(url.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update((credentialReference == null ? "" : credentialReference).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Repository openBare(Path clone) throws IOException {
        return new FileRepositoryBuilder().setGitDir(clone.toFile()).setMustExist(true).build();
    }

    private static Repository create(Path clone, String url) throws IOException, GitAPIException {
        Files.createDirectories(clone.getParent());
        try (Git git = Git.init().setBare(true).setGitDir(clone.toFile()).call()) {
            StoredConfig config = git.getRepository().getConfig();
            config.setString("remote", "origin", "url", url);
            config.save();
        }
        return openBare(clone);
    }

    /** Every branch and tag, as the remote has them now; only objects the clone lacks are transferred. */
    private static void fetch(Repository repo, Path clone, CloneLimits limits, CredentialsProvider credentials)
            throws IOException, GitAPIException {
        CloneLimits.SizeWatch size = limits.watch(clone);
        try (Git git = new Git(repo)) {
            git.fetch().setRemote("origin")
                    .setRefSpecs(new RefSpec("+refs/heads/*:refs/heads/*"), new RefSpec("+refs/tags/*:refs/tags/*"))
                    .setRemoveDeletedRefs(true)
                    .setTimeout((int) Math.max(1, limits.timeout().toSeconds()))
                    .setCredentialsProvider(credentials)
                    .setProgressMonitor(size)
                    .call();
        } catch (GitAPIException | RuntimeException e) {
            if (size.exceeded()) {
                throw new TooLargeException(limits.maxBytes());
            }
            throw e;
        }
        if (size.exceeded()) {
            throw new TooLargeException(limits.maxBytes());
        }
    }

    private static boolean holds(Repository repo, String commit) {
        try {
            ObjectId id = repo.resolve(commit);
            if (id == null) {
                return false;
            }
            try (RevWalk walk = new RevWalk(repo)) {
                walk.parseCommit(id);
                return true;
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void touch(Path clone) throws IOException {
        Path marker = clone.resolve(LAST_USED);
        if (!Files.exists(marker)) {
            Files.createFile(marker);
        }
        Files.setLastModifiedTime(marker, FileTime.from(Instant.now()));
    }

    /** Deletes the clones used longest ago (not {@code keep}, not one being read) while all together exceed the bound. */
    private void evictBeyondTotal(String keep) {
        record Entry(String key, Path path, long bytes, FileTime used) {
        }
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> clones = Files.list(dir)) {
            for (Path p : clones.filter(Files::isDirectory).toList()) {
                String name = p.getFileName().toString();
                if (!name.endsWith(".git")) {
                    continue;
                }
                Path marker = p.resolve(LAST_USED);
                FileTime used = Files.exists(marker) ? Files.getLastModifiedTime(marker) : FileTime.fromMillis(0);
                entries.add(new Entry(name.substring(0, name.length() - 4), p, CloneLimits.SizeWatch.size(p), used));
            }
        } catch (IOException e) {
            return;
        }
        long total = entries.stream().mapToLong(Entry::bytes).sum();
        entries.sort(Comparator.comparing(Entry::used));
        for (Entry e : entries) {
            if (total <= maxTotalBytes) {
                return;
            }
            if (e.key().equals(keep)) {
                continue;
            }
            ReentrantReadWriteLock other = locks.computeIfAbsent(e.key(), k -> new ReentrantReadWriteLock());
            if (other.writeLock().tryLock()) {
                try {
                    deleteTree(e.path());
                    total -= e.bytes();
                } finally {
                    other.writeLock().unlock();
                }
            }
        }
    }

    private static void deleteTree(Path path) {
        GitCommitSource.deleteQuietly(path);
    }
}

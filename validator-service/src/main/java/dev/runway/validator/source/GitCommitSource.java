package dev.runway.validator.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.eclipse.jgit.api.CloneCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.filter.PathFilter;

import dev.runway.messaging.Redaction;
import dev.runway.messaging.credentials.RepositoryCredentials;

/**
 * The project exactly as committed: every file is read from the commit's tree, so nothing in a
 * working copy can change the outcome. Only what the operator's {@link RepositoryPolicy} allows is read: a local
 * repository (a path or a {@code file://} URL under an allowed root) is opened in place, read-only; a remote URL
 * (https, ssh) is read from a bare clone, within {@link CloneLimits}: the {@link CloneCache}'s when one is given
 * (fetched only when the commit is not there yet), else a temporary one that {@link #close()} deletes.
 */
public final class GitCommitSource implements ProjectSource {

    /** A project with more files than this is refused rather than walked without bound. */
    public static final int MAX_FILES = 50_000;

    private static final Pattern COMMIT_ID = Pattern.compile("^[0-9a-fA-F]{7,64}$");

    private final Repository repo;
    private final boolean ownsRepo;
    private final Runnable release;
    private final Map<String, ObjectId> blobs;
    private final String description;
    private final GitFacts facts;

    private GitCommitSource(Repository repo, boolean ownsRepo, Runnable release, Map<String, ObjectId> blobs,
            String description, GitFacts facts) {
        this.repo = repo;
        this.ownsRepo = ownsRepo;
        this.release = release;
        this.blobs = blobs;
        this.description = description;
        this.facts = facts;
    }

    /**
     * Opens {@code url} (a local path, or a URL to clone) at {@code commit}, if {@code policy} allows it; a clone is
     * bounded by {@code limits}.
     *
     * @throws SourceUnavailableException with a reason a person can act on (never with credentials in it)
     */
    public static GitCommitSource open(String url, String commit, RepositoryPolicy policy, CloneLimits limits)
            throws SourceUnavailableException {
        return open(url, commit, policy, limits, null);
    }

    /**
     * {@link #open(String, String, RepositoryPolicy, CloneLimits)} of an http(s) repository that needs {@code credential}
     * (resolved from a credential reference): given to JGit as a CredentialsProvider, never put into the URL, and
     * masked in any reason that might quote it. A credential for a local or ssh repository is refused.
     */
    public static GitCommitSource open(String url, String commit, RepositoryPolicy policy, CloneLimits limits,
            RepositoryCredentials.Credential credential) throws SourceUnavailableException {
        return open(url, commit, policy, limits, credential, null);
    }

    /**
     * {@link #open(String, String, RepositoryPolicy, CloneLimits, RepositoryCredentials.Credential)} reading a remote
     * repository from {@code cache} (null: a temporary clone per call).
     */
    public static GitCommitSource open(String url, String commit, RepositoryPolicy policy, CloneLimits limits,
            RepositoryCredentials.Credential credential, CloneCache cache) throws SourceUnavailableException {
        if (url == null || url.isBlank()) {
            throw new SourceUnavailableException("the request names no repository");
        }
        String shown = Redaction.redact(url);
        if (commit == null || !COMMIT_ID.matcher(commit).matches()) {
            throw new SourceUnavailableException("commit '" + Redaction.redact(abbreviate(commit)) + "' is not a commit id (7 to 64 hex digits)");
        }
        RepositoryPolicy.Location location = policy.check(url);
        List<String> secrets = credential == null ? List.of() : credential.secrets();
        if (credential != null && !(location.remote() && location.url().matches("(?i)^https?://.*"))) {
            throw new SourceUnavailableException("repository " + shown + " is not an http(s) URL: a credential reference ("
                    + credential.name() + ") applies to http(s) repositories only");
        }
        Repository repo;
        Path tempDir = null;
        Runnable release = null;
        if (location.remote() && cache != null) {
            try {
                CloneCache.Lease lease = cache.open(location.url(), credential == null ? null : credential.name(), commit, limits,
                        credential == null ? null : new UsernamePasswordCredentialsProvider(credential.username(), credential.password()));
                repo = lease.repository();
                release = lease::close;
            } catch (CloneCache.TooLargeException e) {
                throw new SourceUnavailableException("repository " + shown + " is larger than the clone limit of "
                        + limits.maxBytes() + " bytes (runway.validator.clone.max-bytes); the clone was stopped", e);
            } catch (GitAPIException | IOException | RuntimeException e) {
                throw new SourceUnavailableException("repository " + shown + " could not be cloned or fetched"
                        + (credential == null ? "" : " with credential " + credential.name()) + ": "
                        + Redaction.redact(String.valueOf(e.getMessage()), secrets), e);
            }
        } else if (location.remote()) {
            CloneLimits.SizeWatch size = null;
            try {
                tempDir = Files.createTempDirectory("runway-validator-clone-");
                size = limits.watch(tempDir);
                CloneCommand clone = Git.cloneRepository();
                if (credential != null) {
                    clone.setCredentialsProvider(new UsernamePasswordCredentialsProvider(credential.username(), credential.password()));
                }
                Git cloned = clone
                        .setURI(location.url())
                        .setDirectory(tempDir.toFile())
                        .setBare(true)
                        .setCloneAllBranches(true)
                        .setTimeout((int) Math.max(1, limits.timeout().toSeconds()))
                        .setProgressMonitor(size)
                        .call();
                repo = cloned.getRepository();
                Path temporary = tempDir;
                release = () -> deleteQuietly(temporary);
                if (size.exceeded()) {
                    // Grew past the limit after the last check (one large object): refused all the same.
                    repo.close();
                    throw new IOException("clone larger than " + limits.maxBytes() + " bytes");
                }
            } catch (GitAPIException | IOException | RuntimeException e) {
                boolean tooLarge = size != null && size.exceeded();
                deleteQuietly(tempDir);
                if (tooLarge) {
                    throw new SourceUnavailableException("repository " + shown + " is larger than the clone limit of "
                            + limits.maxBytes() + " bytes (runway.validator.clone.max-bytes); the clone was stopped", e);
                }
                throw new SourceUnavailableException("repository " + shown + " could not be cloned"
                        + (credential == null ? "" : " with credential " + credential.name()) + ": "
                        + Redaction.redact(String.valueOf(e.getMessage()), secrets), e);
            }
        } else {
            Path path = location.localPath();
            if (!Files.isDirectory(path)) {
                throw new SourceUnavailableException("no repository at " + shown);
            }
            try {
                FileRepositoryBuilder builder = new FileRepositoryBuilder().setMustExist(true);
                if (Files.isRegularFile(path.resolve("HEAD")) && Files.isDirectory(path.resolve("objects"))) {
                    builder.setGitDir(path.toFile()); // a bare repository
                } else {
                    builder.setWorkTree(path.toFile());
                }
                repo = builder.build();
            } catch (IOException | IllegalArgumentException e) {
                throw new SourceUnavailableException("no git repository at " + shown + ": " + Redaction.redact(e.getMessage()), e);
            }
            // Read in place, nothing copied: the clone limit bounds what a request may make the validator read all the same.
            long bytes = objectBytes(repo);
            if (bytes > limits.maxBytes()) {
                repo.close();
                throw new SourceUnavailableException("repository " + shown + " is larger than the clone limit of " + limits.maxBytes()
                        + " bytes (runway.validator.clone.max-bytes): its objects take " + bytes + " bytes");
            }
        }
        try {
            ObjectId id = resolve(repo, commit, shown);
            return build(repo, true, release, id, "", shown + " at " + id.abbreviate(12).name());
        } catch (SourceUnavailableException | RuntimeException e) {
            repo.close();
            if (release != null) {
                release.run();
            }
            throw e;
        }
    }

    /** Bytes of a local repository's object store, its alternates (which the policy keeps under a root) included. */
    private static long objectBytes(Repository repo) {
        Path objects = repo.getDirectory().toPath().resolve("objects");
        long bytes = CloneLimits.SizeWatch.size(objects);
        Path alternates = objects.resolve("info").resolve("alternates");
        if (Files.isRegularFile(alternates)) {
            try {
                for (String line : Files.readAllLines(alternates)) {
                    if (!line.isBlank()) {
                        bytes += CloneLimits.SizeWatch.size(objects.resolve(line.strip()));
                    }
                }
            } catch (IOException e) {
                // unreadable alternates: JGit fails to read their objects with its own reason
            }
        }
        return bytes;
    }

    /** A commit of an already open repository (shared, not closed by this source). */
    static GitCommitSource at(Repository repo, ObjectId commit, String prefix, boolean owns, String description)
            throws SourceUnavailableException {
        return build(repo, owns, null, commit, prefix, description);
    }

    private static GitCommitSource build(Repository repo, boolean owns, Runnable release, ObjectId commitId, String prefix,
            String description) throws SourceUnavailableException {
        Map<String, ObjectId> blobs = new TreeMap<>();
        try (RevWalk walk = new RevWalk(repo); TreeWalk tree = new TreeWalk(repo)) {
            RevCommit commit = walk.parseCommit(commitId);
            tree.addTree(commit.getTree());
            tree.setRecursive(true);
            if (!prefix.isEmpty()) {
                tree.setFilter(PathFilter.create(prefix.substring(0, prefix.length() - 1)));
            }
            while (tree.next()) {
                // Regular and executable files only: symlinks and submodules are not project content here.
                int mode = tree.getRawMode(0);
                if (mode != FileMode.REGULAR_FILE.getBits() && mode != FileMode.EXECUTABLE_FILE.getBits()) {
                    continue;
                }
                if (blobs.size() >= MAX_FILES) {
                    throw new SourceUnavailableException("the project has more than " + MAX_FILES + " files");
                }
                blobs.put(tree.getPathString().substring(prefix.length()), tree.getObjectId(0));
            }
            GitFacts facts = new JGitFacts(repo, commit.copy(), prefix, false, List::of);
            return new GitCommitSource(repo, owns, release, blobs, description, facts);
        } catch (IOException e) {
            throw new SourceUnavailableException("commit " + commitId.name() + " could not be read: " + Redaction.redact(e.getMessage()), e);
        }
    }

    private static ObjectId resolve(Repository repo, String commit, String shown) throws SourceUnavailableException {
        try {
            ObjectId id = repo.resolve(commit);
            if (id == null) {
                throw new SourceUnavailableException("commit " + commit + " is not in repository " + shown);
            }
            try (RevWalk walk = new RevWalk(repo)) {
                return walk.parseCommit(id).copy();
            }
        } catch (MissingObjectException e) {
            throw new SourceUnavailableException("commit " + commit + " is not in repository " + shown, e);
        } catch (IncorrectObjectTypeException e) {
            throw new SourceUnavailableException(commit + " is not a commit of repository " + shown, e);
        } catch (IOException | RuntimeException e) {
            throw new SourceUnavailableException("commit " + commit + " could not be resolved in " + shown + ": "
                    + Redaction.redact(e.getMessage()), e);
        }
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public List<String> files() {
        return new ArrayList<>(blobs.keySet());
    }

    @Override
    public boolean isFile(String path) {
        return blobs.containsKey(path);
    }

    @Override
    public Optional<byte[]> read(String path, int maxBytes) {
        ObjectId id = blobs.get(path);
        if (id == null) {
            return Optional.empty();
        }
        try {
            ObjectLoader loader = repo.open(id);
            if (loader.getSize() > maxBytes) {
                throw new FileTooLargeException(path, loader.getSize(), maxBytes);
            }
            return Optional.of(loader.getBytes(maxBytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public GitFacts git() {
        return facts;
    }

    @Override
    public void close() {
        if (ownsRepo) {
            repo.close();
            if (release != null) {
                release.run();
            }
        }
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary clone left behind is harmless; the OS cleans temp directories
        }
    }

}

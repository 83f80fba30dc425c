package dev.runway.executor.repository;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.jgit.api.CloneCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import dev.runway.events.RepositoryRef;
import dev.runway.executor.commands.ProjectEnv;
import dev.runway.executor.commands.StepFailure;
import dev.runway.executor.config.ExecutorConfig;
import dev.runway.messaging.Redaction;
import dev.runway.messaging.credentials.RepositoryCredentials;

/**
 * Per-deployment checkouts of the deployment's own commit (issue 13): releases and migrations are
 * read from {@code <state>/checkouts/<safe project>/<env>/<deploymentId>}, made with JGit from the
 * command's repository, never from a shared working directory, so two projects never run each
 * other's code and an uncommitted change never runs.
 */
@ApplicationScoped
public class Checkouts {

    private static final Logger LOG = Logger.getLogger(Checkouts.class);

    /** StepFailed code of a repository whose credential reference the executor cannot resolve. */
    public static final String UNKNOWN_CREDENTIAL = "UNKNOWN_CREDENTIAL";

    private final Path root;
    private final RepositoryCredentials credentials;

    @Inject
    public Checkouts(ExecutorConfig config, Config runtime) {
        this(config, RepositoryCredentials.of(runtime));
    }

    /** Without credential references (a repository that names one is refused). */
    public Checkouts(ExecutorConfig config) {
        this(config, new RepositoryCredentials(key -> Optional.empty(), Map.of(), Optional.empty()));
    }

    Checkouts(ExecutorConfig config, RepositoryCredentials credentials) {
        this.root = Path.of(config.host().stateDir()).toAbsolutePath().normalize().resolve("checkouts");
        this.credentials = credentials;
    }

    public Path root() {
        return root;
    }

    public Path dir(ProjectEnv key, String deploymentId) {
        if (deploymentId == null || !deploymentId.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")) {
            throw new StepFailure("BAD_DEPLOYMENT_ID", "deployment id " + deploymentId + " cannot name a checkout directory", false);
        }
        return root.resolve(key.safe()).resolve(key.env()).resolve(deploymentId);
    }

    /** Clones {@code ref.url} and checks out exactly {@code ref.commit} (detached); an existing checkout of it is reused. */
    public synchronized Path ensure(ProjectEnv key, String deploymentId, RepositoryRef ref) {
        Path dir = dir(key, deploymentId);
        String commit = ref.getCommit() == null ? "" : ref.getCommit().strip();
        if (!commit.matches("[0-9a-fA-F]{7,40}")) {
            throw new StepFailure("BAD_COMMIT", "repository commit '" + commit + "' is not a commit id", false);
        }
        if (Files.isDirectory(dir.resolve(".git"))) {
            String head = head(dir);
            if (head != null && head.startsWith(commit.toLowerCase())) {
                return dir;
            }
            delete(dir);
        }
        RepositoryCredentials.Credential credential = credential(ref);
        List<String> secrets = credential == null ? List.of() : credential.secrets();
        Path tmp = dir.resolveSibling(dir.getFileName() + ".partial");
        try {
            delete(tmp);
            Files.createDirectories(tmp.getParent());
            CloneCommand clone = Git.cloneRepository();
            if (credential != null) {
                // Given to JGit for its authentication only: never part of the URL, the checkout's config or a log line.
                clone.setCredentialsProvider(new UsernamePasswordCredentialsProvider(credential.username(), credential.password()));
            }
            try (Git git = clone.setURI(uri(ref.getUrl())).setDirectory(tmp.toFile())
                    .setCloneAllBranches(true).call()) {
                ObjectId id;
                try {
                    id = git.getRepository().resolve(commit + "^{commit}");
                } catch (MissingObjectException | IncorrectObjectTypeException e) {
                    id = null;
                }
                if (id == null) {
                    throw new StepFailure("NO_COMMIT", "commit " + commit + " is not in " + Redaction.redact(ref.getUrl())
                            + (ref.getRef() == null ? "" : " (ref " + ref.getRef() + ")"), false);
                }
                // Detached at exactly that commit; forced: the clone's own work tree is ours to overwrite.
                git.checkout().setName(id.name()).setForced(true).call();
            }
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            LOG.infof("checked out %s of %s for %s into %s", commit, Redaction.redact(ref.getUrl()), key, dir);
            return dir;
        } catch (GitAPIException | IOException | RuntimeException e) {
            delete(tmp);
            if (e instanceof StepFailure f) {
                throw f;
            }
            throw new StepFailure("CHECKOUT_FAILED", "cannot check out " + commit + " of " + Redaction.redact(ref.getUrl())
                    + (credential == null ? "" : " with credential " + credential.name()) + ": "
                    + Redaction.redact(String.valueOf(e.getMessage()), secrets), true, e);
        }
    }

    /** The credential the repository's reference names, if any; refused when unknown here or for a non-http(s) URL. */
    private RepositoryCredentials.Credential credential(RepositoryRef ref) {
        if (ref.getCredential() == null) {
            return null;
        }
        if (ref.getUrl() == null || !ref.getUrl().matches("(?i)^https?://.*")) {
            throw new StepFailure(UNKNOWN_CREDENTIAL, "repository " + Redaction.redact(ref.getUrl()) + " is not an http(s) URL: "
                    + "a credential reference (" + ref.getCredential() + ") applies to http(s) repositories only", false);
        }
        try {
            return credentials.resolve(ref.getCredential());
        } catch (RepositoryCredentials.UnknownCredentialException e) {
            throw new StepFailure(UNKNOWN_CREDENTIAL, e.getMessage(), false);
        }
    }

    /** Checkout directories ({@code <project>/<env>/<deploymentId>}) last changed before {@code cutoff}. */
    public List<Path> olderThan(Instant cutoff) {
        List<Path> old = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return old;
        }
        try (Stream<Path> dirs = Files.walk(root, 3)) {
            for (Path dir : dirs.filter(d -> root.relativize(d).getNameCount() == 3 && Files.isDirectory(d)).toList()) {
                if (Files.getLastModifiedTime(dir).toInstant().isBefore(cutoff)) {
                    old.add(dir);
                }
            }
        } catch (IOException e) {
            LOG.warnf("cannot list checkouts in %s: %s", root, e.getMessage());
        }
        return old;
    }

    /** Removes a checkout directory (only ever one under the checkouts root). */
    public void delete(Path dir) {
        if (dir == null || !dir.toAbsolutePath().normalize().startsWith(root) || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
            LOG.infof("deleted checkout %s", dir);
        } catch (IOException e) {
            LOG.warnf("could not delete checkout %s: %s", dir, e.getMessage());
        }
    }

    private static String head(Path dir) {
        try (Repository repo = new FileRepositoryBuilder().setGitDir(dir.resolve(".git").toFile()).build()) {
            ObjectId head = repo.resolve("HEAD");
            return head == null ? null : head.name();
        } catch (IOException e) {
            return null;
        }
    }

    /** A local path or file:// URL as JGit takes it; other URLs as given. */
    private static String uri(String url) {
        if (url == null || url.isBlank()) {
            throw new StepFailure("NO_REPOSITORY", "the repository has no URL", false);
        }
        return url.startsWith("/") ? Path.of(url).toUri().toString() : url;
    }
}

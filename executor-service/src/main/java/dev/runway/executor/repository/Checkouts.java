package dev.runway.executor.repository;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.jboss.logging.Logger;

import dev.runway.events.RepositoryRef;
import dev.runway.executor.commands.ProjectEnv;
import dev.runway.executor.commands.StepFailure;
import dev.runway.executor.config.ExecutorConfig;

/**
 * Per-deployment checkouts of the deployment's own commit (issue 13): releases and migrations are
 * read from {@code <state>/checkouts/<safe project>/<env>/<deploymentId>}, made with JGit from the
 * command's repository, never from a shared working directory, so two projects never run each
 * other's code and an uncommitted change never runs.
 */
@ApplicationScoped
public class Checkouts {

    private static final Logger LOG = Logger.getLogger(Checkouts.class);

    private final Path root;

    public Checkouts(ExecutorConfig config) {
        this.root = Path.of(config.host().stateDir()).toAbsolutePath().normalize().resolve("checkouts");
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
        Path tmp = dir.resolveSibling(dir.getFileName() + ".partial");
        try {
            delete(tmp);
            Files.createDirectories(tmp.getParent());
            try (Git git = Git.cloneRepository().setURI(uri(ref.getUrl())).setDirectory(tmp.toFile())
                    .setCloneAllBranches(true).call()) {
                ObjectId id;
                try {
                    id = git.getRepository().resolve(commit + "^{commit}");
                } catch (MissingObjectException | IncorrectObjectTypeException e) {
                    id = null;
                }
                if (id == null) {
                    throw new StepFailure("NO_COMMIT", "commit " + commit + " is not in " + ref.getUrl()
                            + (ref.getRef() == null ? "" : " (ref " + ref.getRef() + ")"), false);
                }
                // Detached at exactly that commit; forced: the clone's own work tree is ours to overwrite.
                git.checkout().setName(id.name()).setForced(true).call();
            }
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            LOG.infof("checked out %s of %s for %s into %s", commit, ref.getUrl(), key, dir);
            return dir;
        } catch (GitAPIException | IOException | RuntimeException e) {
            delete(tmp);
            if (e instanceof StepFailure f) {
                throw f;
            }
            throw new StepFailure("CHECKOUT_FAILED", "cannot check out " + commit + " of " + ref.getUrl() + ": " + e.getMessage(), true, e);
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

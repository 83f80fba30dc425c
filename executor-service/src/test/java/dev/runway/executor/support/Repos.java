package dev.runway.executor.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.revwalk.RevCommit;

import dev.runway.events.RepositoryRef;

/** Client project repositories made with JGit (as a project's own git would), for DeployGreen/ApplyMigrations. */
public final class Repos {

    static final Path ROOT = Path.of("target", "client-repos").toAbsolutePath();

    private Repos() {
    }

    /** A new repository whose first commit holds a copy of {@code source}; its ref at that commit. */
    public static RepositoryRef of(Path source) {
        Repo repo = create();
        repo.copy(source, "");
        return repo.commit("client project");
    }

    /** A new repository with examples/demo-app (the demo release tests run) in its work tree, not committed yet. */
    public static Repo demoApp() {
        Repo repo = create();
        repo.copy(Path.of("..", "examples", "demo-app").toAbsolutePath().normalize(), "examples/demo-app");
        return repo;
    }

    public static Repo create() {
        try {
            Path dir = ROOT.resolve(UUID.randomUUID().toString().substring(0, 8));
            Files.createDirectories(dir);
            return new Repo(dir, Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    public record Repo(Path dir, Git git) {

        public Repo write(String path, String content) {
            try {
                Path file = dir.resolve(path);
                Files.createDirectories(file.getParent());
                Files.writeString(file, content);
                return this;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void copy(Path source, String under) {
            try (Stream<Path> files = Files.walk(source)) {
                for (Path f : files.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList()) {
                    Path to = dir.resolve(under).resolve(source.relativize(f).toString());
                    Files.createDirectories(to.getParent());
                    Files.copy(f, to);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Commits everything in the work tree; the ref of that commit (URL = the repository's path). */
        public RepositoryRef commit(String message) {
            try {
                git.add().addFilepattern(".").call();
                RevCommit c = git.commit().setMessage(message).setAuthor("test", "test@example.com")
                        .setCommitter("test", "test@example.com").setSign(false).call();
                return new RepositoryRef(dir.toString(), c.name(), "refs/heads/main", null);
            } catch (GitAPIException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}

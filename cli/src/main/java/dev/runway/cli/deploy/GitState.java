package dev.runway.cli.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The project's git state read with JGit (no git binary needed): the work tree, HEAD's commit and
 * the current branch. Sent as the request's {@code repository} so the validator and executor read
 * exactly that commit.
 */
public record GitState(Path workTree, String commit, String branch) {

    /** Why a directory's git state is not sent, or the state itself. */
    public sealed interface Lookup permits Found, NotSent {
    }

    public record Found(GitState state) implements Lookup {
    }

    /** {@code reason} is null when the directory simply is not in a git repository. */
    public record NotSent(String reason) implements Lookup {
    }

    public String url() {
        return "file://" + workTree;
    }

    public static Lookup of(Path dir) {
        Path real;
        try {
            real = dir.toRealPath();
        } catch (IOException e) {
            return new NotSent(null);
        }
        FileRepositoryBuilder builder = new FileRepositoryBuilder().readEnvironment().findGitDir(real.toFile());
        if (builder.getGitDir() == null) {
            return new NotSent(null);
        }
        try (Repository repo = builder.build()) {
            if (repo.isBare()) {
                return new NotSent(null);
            }
            Path top = repo.getWorkTree().toPath().toRealPath();
            if (!top.equals(real)) {
                // The validator and executor read a repository from its top: the commit would show them another folder.
                return new NotSent(real + " is inside the git work tree " + top + " but not its top; the repository is not sent"
                        + " (Runway reads a repository from its top folder)");
            }
            ObjectId head = repo.resolve(Constants.HEAD);
            if (head == null) {
                return new NotSent(top + " has no commit yet; the repository is not sent");
            }
            String full = repo.getFullBranch();
            String branch = full != null && full.startsWith(Constants.R_HEADS) ? Repository.shortenRefName(full) : null;
            return new Found(new GitState(top, head.name(), branch));
        } catch (IOException e) {
            return new NotSent("could not read the git repository at " + real + ": " + e.getMessage());
        }
    }

    /** Whether {@code dir} exists as a directory (so the CLI can refuse a typo before anything else). */
    public static boolean isDirectory(Path dir) {
        return Files.isDirectory(dir);
    }

    public Optional<String> branchName() {
        return Optional.ofNullable(branch);
    }
}

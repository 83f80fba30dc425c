package dev.runway.executor.database;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import dev.runway.events.MigrationSet;
import dev.runway.events.RepositoryRef;
import dev.runway.executor.commands.ProjectEnv;
import dev.runway.executor.commands.StepFailure;
import dev.runway.executor.repository.Checkouts;
import dev.runway.executor.repository.CommitTree;
import dev.runway.executor.repository.UnsafePathException;

/**
 * Where migration SQL comes from (issue 15): the deployment's commit, read from the git objects of
 * its per-deployment checkout, never from a work tree. The migrations path must be relative to the
 * repository root, without {@code ..}, and no symlink on the way (directory or file) may leave the
 * repository; otherwise the command is refused before anything is read or run. When the command
 * carries the set the validator checked ({@code ApplyMigrations.validatedMigrations}), the files read
 * must be exactly that set, byte for byte, or nothing runs ({@link ValidatedMigrations}).
 */
@ApplicationScoped
public class MigrationSource {

    /** A migration file larger than this is refused (the SOP's files are a few KiB). */
    static final int MAX_FILE_BYTES = 4 * 1024 * 1024;

    private final Checkouts checkouts;

    public MigrationSource(Checkouts checkouts) {
        this.checkouts = checkouts;
    }

    /** {@code database.migrations.path} checked and normalised ({@code ./a//b} → {@code a/b}); refused: absolute or with {@code ..}. */
    public static String path(String migrationsPath) {
        try {
            List<String> names = CommitTree.relative(migrationsPath);
            if (names.isEmpty()) {
                throw new UnsafePathException("'" + migrationsPath + "' names the repository root, not a migrations directory");
            }
            return String.join("/", names);
        } catch (UnsafePathException e) {
            throw refused(e);
        }
    }

    /**
     * What {@code reader} finds in the repository's commit (the checkout is made if it is missing); a
     * path that leaves the repository is refused as {@code BAD_MIGRATIONS_PATH}.
     */
    public <T> T read(ProjectEnv key, String deploymentId, RepositoryRef repository, Function<CommitTree, T> reader) {
        Path checkout = checkouts.ensure(key, deploymentId, repository);
        try (CommitTree tree = CommitTree.open(checkout, repository.getCommit().strip())) {
            return reader.apply(tree);
        } catch (UnsafePathException e) {
            throw refused(e);
        }
    }

    private static StepFailure refused(UnsafePathException e) {
        return new StepFailure("BAD_MIGRATIONS_PATH", "database.migrations.path refused: " + e.getMessage()
                + " (migrations are read only from the deployment's commit, inside its repository)", false);
    }
}

package dev.runway.executor.database;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.runway.events.MigrationSet;
import dev.runway.events.MigrationSets;
import dev.runway.executor.commands.StepFailure;
import dev.runway.executor.repository.CommitTree;

/**
 * Issue 15 item 2: the executor runs only the migrations the validator checked. {@code ApplyMigrations.validatedMigrations}
 * is the set {@code ValidationPassed} recorded (path, SHA-256 per file); the files at the deployment's commit are
 * checksummed the same way ({@link MigrationSets}) before any connection runs a statement, and any difference (a file
 * changed, added or missing, another directory) refuses the whole command.
 */
public final class ValidatedMigrations {

    /** The StepFailed code of a migration set that is not the one validated (not retryable: nothing was applied). */
    public static final String CHECKSUM_MISMATCH = "MIGRATION_CHECKSUM_MISMATCH";

    private ValidatedMigrations() {
    }

    /**
     * The migration set of {@code path} in {@code tree}: every {@code *.sql} directly in it and every
     * {@code <folder>/migration.sql} one level down (Prisma's layout), by path relative to the directory.
     */
    public static MigrationSet of(CommitTree tree, String path, int maxBytes) {
        Map<String, byte[]> files = new TreeMap<>();
        for (CommitTree.File f : tree.files(path, maxBytes)) {
            if (f.name().endsWith(".sql")) {
                files.put(f.name(), f.content());
            }
        }
        for (String folder : tree.directories(path)) {
            tree.file(path + "/" + folder + "/migration.sql", maxBytes).ifPresent(f -> files.put(folder + "/migration.sql", f.content()));
        }
        return MigrationSets.of(path, files);
    }

    /** Refuses ({@value #CHECKSUM_MISMATCH}, naming the first file that differs) unless {@code validated} is null or the set found. */
    public static void verify(CommitTree tree, String path, MigrationSet validated, int maxBytes) {
        if (validated == null) {
            return; // a command from before issue 15, or of a project without migrations validated
        }
        MigrationSet found = of(tree, path, maxBytes);
        Optional<String> difference = MigrationSets.difference(validated, found);
        if (difference.isPresent()) {
            throw new StepFailure(CHECKSUM_MISMATCH, difference.get() + "; nothing was applied (set sha256 " + found.getSha256()
                    + ", validated " + validated.getSha256() + ")", false);
        }
    }
}

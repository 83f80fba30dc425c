package dev.runway.executor.database;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import dev.runway.executor.commands.Plan;
import dev.runway.executor.commands.StepFailure;
import dev.runway.executor.repository.CommitTree;

/**
 * Tools {@code sql} and {@code flyway}: the SOP's {@code YYYYMMDDHHMMSS_name.sql} files, applied
 * through Flyway ({@link SchemaHistory}) and undone with their DOWN sections when every one has one.
 */
final class FlywayMigrations implements MigrationTool {

    @Override
    public String historyTable() {
        return SchemaHistory.TABLE;
    }

    @Override
    public Pending pending(ClientDatabase db, CommitTree tree, String path) {
        List<MigrationFile> files;
        try {
            files = MigrationFile.of(tree.files(path, MigrationSource.MAX_FILE_BYTES));
        } catch (IllegalArgumentException e) {
            throw new StepFailure("BAD_MIGRATIONS", e.getMessage(), false);
        }
        List<Migration> pending = new ArrayList<>();
        for (MigrationFile file : SchemaHistory.pending(db, files)) {
            pending.add(new Migration(file.name(), file.fileName(), () -> SchemaHistory.migrateTo(db, files, file.version())));
        }
        String target = files.isEmpty() ? null : files.get(files.size() - 1).version();
        return new Pending(files.size(), pending, target, () -> SchemaHistory.currentVersion(db, files));
    }

    @Override
    public boolean hasDownSections() {
        return true;
    }

    @Override
    public Optional<List<Plan.Step>> undo(ClientDatabase db, CommitTree tree, String path, List<String> migrations) {
        List<Plan.Step> steps = new ArrayList<>();
        for (String name : migrations) {
            String fileName = name.endsWith(".sql") ? name : name + ".sql";
            if (!MigrationFile.NAME.matcher(fileName).matches()) {
                throw new StepFailure("BAD_MIGRATIONS", "'" + name + "' is not a migration name (YYYYMMDDHHMMSS_descriptive_name)", false);
            }
            Optional<MigrationFile> m = tree.file(path + "/" + fileName, MigrationSource.MAX_FILE_BYTES)
                    .map(f -> MigrationFile.of(fileName, f.text()));
            if (m.isEmpty() || m.get().down().isEmpty()) {
                return Optional.empty();
            }
            MigrationFile file = m.get();
            steps.add(new Plan.Step("run the DOWN section of " + file.fileName() + " on " + db.describe() + " and remove version "
                    + file.version() + " from " + SchemaHistory.TABLE + ", in one transaction", () -> SchemaHistory.undo(db, file)));
        }
        Collections.reverse(steps);
        return Optional.of(steps);
    }
}

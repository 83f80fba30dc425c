package dev.runway.executor.database;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.runway.executor.commands.Plan;
import dev.runway.executor.repository.CommitTree;

/**
 * One value of the manifest's {@code database.migrations.tool} (issue 16): how that tool's
 * migrations are found in the deployment's commit, applied (one transaction each, recorded in the
 * tool's own history table, so the project's own tooling sees them as applied) and undone.
 * {@link MigrationTools} chooses the implementation; a tool not in that small set is refused.
 */
public interface MigrationTool {

    /** The history table the tool records applied migrations in. */
    String historyTable();

    /**
     * The migrations of the commit under {@code path} the database has not applied, in order, each
     * with the action applying it in its own transaction. Refuses (a {@code StepFailure}) what the
     * tool itself would refuse: malformed files, a history that does not match the commit.
     */
    Pending pending(ClientDatabase db, CommitTree tree, String path);

    /** Whether {@link #undo} can ever work: a tool without DOWN sections is always undone by the backup. */
    boolean hasDownSections();

    /**
     * Steps undoing {@code migrations} (as the commit has them), newest first, without the backup;
     * empty when one of them cannot be undone so: then the deployment's backup is restored.
     */
    Optional<List<Plan.Step>> undo(ClientDatabase db, CommitTree tree, String path, List<String> migrations);

    /**
     * What {@link #pending} found: how many migrations the commit has, the pending ones, the version
     * the database will be at after them, and how to read the version it is at.
     */
    record Pending(int total, List<Migration> migrations, String target, Callable<String> current) {
    }

    /** One pending migration: its name (reported in MigrationApplied), the file shown in the plan and its action. */
    record Migration(String name, String file, Plan.Action apply) {
    }
}

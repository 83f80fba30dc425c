package dev.runway.executor.database;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.runway.events.ApplyMigrations;
import dev.runway.events.MigrationApplied;
import dev.runway.events.RepositoryRef;
import dev.runway.executor.commands.CommandContext;
import dev.runway.executor.commands.Plan;
import dev.runway.executor.commands.StepFailure;
import dev.runway.executor.store.DeploymentFacts;

/**
 * ApplyMigrations (sop.md 000-8.1/000-8.2): the pending files of the deployment's own commit (read from
 * the commit by {@link MigrationSource}, never from a work tree), applied in order through Flyway
 * ({@link SchemaHistory}), one plan step and one transaction each.
 */
@ApplicationScoped
public class DatabaseMigrations {

    private final DeploymentFacts facts;
    private final DatabaseCredentials credentials;
    private final MigrationSource source;

    public DatabaseMigrations(DeploymentFacts facts, DatabaseCredentials credentials, MigrationSource source) {
        this.facts = facts;
        this.credentials = credentials;
        this.source = source;
    }

    public Plan plan(CommandContext ctx, ApplyMigrations command) {
        // Refused before anything else: no checkout, no connection for a path that leaves the repository.
        String path = MigrationSource.path(command.getMigrationsPath());
        RepositoryRef repository = command.getRepository();
        if (repository == null) {
            throw new StepFailure("NO_REPOSITORY", "ApplyMigrations names no repository: migrations are read from the"
                    + " deployment's commit, never from a shared directory", false);
        }
        ClientDatabase db = credentials.of(ctx.project(), ctx.environment());
        // Planning reads the files, so the checkout is made now (a dry run too: it only reads the repository).
        // Exactly the files the validator checked, or nothing: compared before any connection to run a statement.
        List<MigrationFile> files = source.read(ctx.projectEnv(), ctx.deploymentId(), repository, path,
                command.getValidatedMigrations());
        String dir = path + " at " + shortCommit(repository.getCommit());
        List<MigrationFile> pending = SchemaHistory.pending(db, files);
        List<String> applied = new ArrayList<>();
        Plan plan = new Plan();
        for (MigrationFile file : pending) {
            plan.step("apply " + file.fileName() + " to " + db.describe() + " in one transaction, recorded in " + SchemaHistory.TABLE, () -> {
                try {
                    SchemaHistory.migrateTo(db, files, file.version());
                } catch (RuntimeException e) {
                    throw new StepFailure("MIGRATION_FAILED", file.fileName() + " failed and was rolled back in its transaction"
                            + (applied.isEmpty() ? "" : " (applied before it by this command: " + applied + ")") + ": "
                            + SchemaHistory.rootMessage(e), false, e);
                }
                applied.add(file.name());
                facts.put(ctx.deploymentId(), DeploymentFacts.MIGRATIONS_PATH, path);
                facts.put(ctx.deploymentId(), DeploymentFacts.MIGRATIONS_REPOSITORY, command.getRepository().getUrl());
                facts.put(ctx.deploymentId(), DeploymentFacts.MIGRATIONS_COMMIT, command.getRepository().getCommit());
                if (command.getRepository().getCredential() != null) {
                    facts.put(ctx.deploymentId(), DeploymentFacts.MIGRATIONS_CREDENTIAL, command.getRepository().getCredential());
                }
                facts.put(ctx.deploymentId(), DeploymentFacts.MIGRATIONS_APPLIED, String.join(",", applied));
            });
        }
        if (pending.isEmpty()) {
            plan.step("nothing to apply: " + db.describe() + " already has all " + files.size() + " migration(s) of " + dir, () -> {
            });
        }
        String target = files.isEmpty() ? null : files.get(files.size() - 1).version();
        return plan.reply(() -> MigrationApplied.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step())
                .setApplied(ctx.dryRun() ? pending.stream().map(MigrationFile::name).toList() : List.copyOf(applied))
                .setSchemaVersion(ctx.dryRun() ? target : SchemaHistory.currentVersion(db, files)).build());
    }

    private static String shortCommit(String commit) {
        String c = commit == null ? "" : commit.strip();
        return c.substring(0, Math.min(12, c.length()));
    }
}

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
 * ApplyMigrations (sop.md 000-8.1/000-8.2): the pending migrations of the deployment's own commit
 * (read from the commit by {@link MigrationSource}, never from a work tree), applied in order by the
 * manifest's tool ({@link MigrationTools}: Flyway for sql/flyway, Prisma's folders and history table
 * for prisma), one plan step and one transaction each.
 */
@ApplicationScoped
public class DatabaseMigrations {

    private final DeploymentFacts facts;
    private final DatabaseCredentials credentials;
    private final MigrationSource source;
    private final MigrationTools tools;

    public DatabaseMigrations(DeploymentFacts facts, DatabaseCredentials credentials, MigrationSource source, MigrationTools tools) {
        this.facts = facts;
        this.credentials = credentials;
        this.source = source;
        this.tools = tools;
    }

    public Plan plan(CommandContext ctx, ApplyMigrations command) {
        // Refused before anything else: no checkout, no connection for a path that leaves the repository or an unknown tool.
        String path = MigrationSource.path(command.getMigrationsPath());
        MigrationTool tool = tools.of(command.getMigrationsTool());
        String toolName = MigrationTools.normalise(command.getMigrationsTool());
        RepositoryRef repository = command.getRepository();
        if (repository == null) {
            throw new StepFailure("NO_REPOSITORY", "ApplyMigrations names no repository: migrations are read from the"
                    + " deployment's commit, never from a shared directory", false);
        }
        ClientDatabase db = credentials.of(ctx.project(), ctx.environment());
        // Planning reads the files, so the checkout is made now (a dry run too: it only reads the repository).
        // Exactly the files the validator checked, or nothing: compared before any connection to run a statement.
        MigrationTool.Pending pending = source.read(ctx.projectEnv(), ctx.deploymentId(), repository, tree -> {
            ValidatedMigrations.verify(tree, path, command.getValidatedMigrations(), MigrationSource.MAX_FILE_BYTES);
            return tool.pending(db, tree, path);
        });
        String dir = path + " at " + shortCommit(repository.getCommit());
        List<String> applied = new ArrayList<>();
        Plan plan = new Plan();
        for (MigrationTool.Migration m : pending.migrations()) {
            plan.step("apply " + path + "/" + m.file() + " to " + db.describe() + " in one transaction, recorded in " + tool.historyTable()
                    + " (tool " + toolName + ")", () -> {
                        // Recorded first: a compensation after a failure knows the tool (a prisma deployment is always restored from its backup).
                        facts.put(ctx.deploymentId(), DeploymentFacts.MIGRATIONS_TOOL, toolName);
                        try {
                            m.apply().run();
                        } catch (StepFailure e) {
                            throw e;
                        } catch (Exception e) {
                            throw new StepFailure("MIGRATION_FAILED", m.file() + " failed and was rolled back in its transaction"
                                    + (applied.isEmpty() ? "" : " (applied before it by this command: " + applied + ")") + ": "
                                    + SchemaHistory.rootMessage(e), false, e);
                        }
                        applied.add(m.name());
                        facts.put(ctx.deploymentId(), DeploymentFacts.MIGRATIONS_PATH, path);
                        facts.put(ctx.deploymentId(), DeploymentFacts.MIGRATIONS_REPOSITORY, command.getRepository().getUrl());
                        facts.put(ctx.deploymentId(), DeploymentFacts.MIGRATIONS_COMMIT, command.getRepository().getCommit());
                        if (command.getRepository().getCredential() != null) {
                            facts.put(ctx.deploymentId(), DeploymentFacts.MIGRATIONS_CREDENTIAL, command.getRepository().getCredential());
                        }
                        facts.put(ctx.deploymentId(), DeploymentFacts.MIGRATIONS_APPLIED, String.join(",", applied));
                    });
        }
        if (pending.migrations().isEmpty()) {
            plan.step("nothing to apply: " + db.describe() + " already has all " + pending.total() + " migration(s) of " + dir
                    + " in " + tool.historyTable(), () -> {
                    });
        }
        return plan.reply(() -> MigrationApplied.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step())
                .setApplied(ctx.dryRun() ? pending.migrations().stream().map(MigrationTool.Migration::name).toList() : List.copyOf(applied))
                .setSchemaVersion(ctx.dryRun() ? pending.target() : current(pending)).build());
    }

    private static String current(MigrationTool.Pending pending) {
        try {
            return pending.current().call();
        } catch (StepFailure e) {
            throw e;
        } catch (Exception e) {
            throw new StepFailure("DATABASE_UNAVAILABLE", "cannot read the schema version: " + SchemaHistory.rootMessage(e), true, e);
        }
    }

    private static String shortCommit(String commit) {
        String c = commit == null ? "" : commit.strip();
        return c.substring(0, Math.min(12, c.length()));
    }
}

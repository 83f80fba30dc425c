package dev.runway.executor.database;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.runway.events.DatabaseRestored;
import dev.runway.events.RepositoryRef;
import dev.runway.events.RestoreDatabase;
import dev.runway.executor.commands.CommandContext;
import dev.runway.executor.commands.Plan;
import dev.runway.executor.commands.StepFailure;
import dev.runway.executor.repository.Checkouts;
import dev.runway.executor.store.DeploymentFacts;

/**
 * RestoreDatabase, the compensation of a deployment's migrations: their DOWN sections, newest first,
 * when the tool has them, every migration has one and they are preferred; else the deployment's
 * backup, restored into a scratch database that is then swapped in (the current one is kept).
 * Prisma migrations have no DOWN sections, so a prisma deployment is always restored from its backup.
 */
@ApplicationScoped
public class DatabaseRestore {

    private final DeploymentFacts facts;
    private final DatabaseCredentials credentials;
    private final Checkouts checkouts;
    private final MigrationSource source;
    private final PgTools pg;
    private final MigrationTools tools;

    public DatabaseRestore(DeploymentFacts facts, DatabaseCredentials credentials, Checkouts checkouts, MigrationSource source, PgTools pg,
            MigrationTools tools) {
        this.facts = facts;
        this.credentials = credentials;
        this.checkouts = checkouts;
        this.source = source;
        this.pg = pg;
        this.tools = tools;
    }

    public Plan plan(CommandContext ctx, RestoreDatabase command) {
        ClientDatabase db = credentials.of(ctx.project(), ctx.environment());
        List<String> migrations = !command.getMigrations().isEmpty() ? command.getMigrations()
                : facts.get(ctx.deploymentId(), DeploymentFacts.MIGRATIONS_APPLIED).filter(s -> !s.isBlank())
                        .map(s -> List.of(s.split(","))).orElse(List.of());
        MigrationTool tool = tools.of(facts.get(ctx.deploymentId(), DeploymentFacts.MIGRATIONS_TOOL).orElse(MigrationTools.DEFAULT));
        if (!tool.hasDownSections()) {
            // Prisma migrations have no DOWN sections: only the backup undoes them, whatever the command prefers.
            return backupRestore(ctx, db, command, migrations, "the tool's migrations have no DOWN sections");
        }
        Optional<List<Plan.Step>> downs = command.getPreferDownMigrations() ? downs(ctx, db, tool, migrations) : Optional.empty();
        if (downs.isPresent()) {
            return downMigrations(ctx, downs.get());
        }
        return backupRestore(ctx, db, command, migrations,
                "their DOWN sections were " + (command.getPreferDownMigrations() ? "incomplete" : "not preferred"));
    }

    /**
     * The steps undoing the deployment's migrations with their DOWN sections, when every one has one:
     * read from the commit they were applied from (the checkout is made again if it went with the slots it served).
     */
    private Optional<List<Plan.Step>> downs(CommandContext ctx, ClientDatabase db, MigrationTool tool, List<String> migrations) {
        Optional<String> url = facts.get(ctx.deploymentId(), DeploymentFacts.MIGRATIONS_REPOSITORY);
        Optional<String> commit = facts.get(ctx.deploymentId(), DeploymentFacts.MIGRATIONS_COMMIT);
        Optional<String> path = facts.get(ctx.deploymentId(), DeploymentFacts.MIGRATIONS_PATH).or(() -> legacyPath(ctx));
        if (migrations.isEmpty() || url.isEmpty() || commit.isEmpty() || path.isEmpty()) {
            return Optional.empty();
        }
        RepositoryRef repository = new RepositoryRef(url.get(), commit.get(), null,
                facts.get(ctx.deploymentId(), DeploymentFacts.MIGRATIONS_CREDENTIAL).orElse(null));
        String dir = MigrationSource.path(path.get());
        return source.read(ctx.projectEnv(), ctx.deploymentId(), repository, tree -> tool.undo(db, tree, dir, migrations));
    }

    /** Deployments that applied migrations before issue 15 recorded the absolute directory in the checkout. */
    private Optional<String> legacyPath(CommandContext ctx) {
        Path checkout = checkouts.dir(ctx.projectEnv(), ctx.deploymentId());
        return facts.get(ctx.deploymentId(), DeploymentFacts.MIGRATIONS_DIR).map(Path::of).filter(d -> d.startsWith(checkout))
                .map(d -> checkout.relativize(d).toString());
    }

    private static Plan downMigrations(CommandContext ctx, List<Plan.Step> downs) {
        Plan plan = new Plan();
        downs.forEach(step -> plan.step(step.description(), step.action()));
        return plan.reply(() -> DatabaseRestored.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step())
                .setMethod("DOWN_MIGRATIONS").setBackupId(null).build());
    }

    private Plan backupRestore(CommandContext ctx, ClientDatabase db, RestoreDatabase command, List<String> migrations, String why) {
        String backupId = Optional.ofNullable(command.getBackupId())
                .or(() -> facts.get(ctx.deploymentId(), DeploymentFacts.BACKUP_ID))
                .orElseThrow(() -> new StepFailure("NO_BACKUP", "migrations " + migrations + " have no DOWN section and the deployment has no backup to restore", false));
        if (!backupId.matches("backup_[A-Za-z0-9_]+")) {
            throw new StepFailure("NO_BACKUP", "not a backup id: " + backupId, false);
        }
        Path file = pg.backupDir(ctx.environment()).resolve(backupId + ".dump");
        String stamp = PgTools.stamp(ctx.header().getOccurredAt());
        String scratch = PgTools.truncate(db.database() + "__restore_" + stamp);
        String before = PgTools.truncate(db.database() + "__before_" + stamp);
        Plan plan = new Plan();
        plan.step("create database " + scratch + " and " + pg.pgRestore() + " --single-transaction --no-owner " + file + " into it",
                () -> pg.restoreInto(db, scratch, file));
        plan.step("swap: disconnect clients, rename " + db.database() + " to " + before + " (kept) and " + scratch + " to " + db.database(),
                () -> pg.swap(db, scratch, before));
        if (!migrations.isEmpty()) {
            plan.step("(migrations " + migrations + " are undone by the restore; " + why + ")", () -> {
            });
        }
        return plan.reply(() -> DatabaseRestored.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step())
                .setMethod("BACKUP_RESTORE").setBackupId(backupId).build());
    }
}

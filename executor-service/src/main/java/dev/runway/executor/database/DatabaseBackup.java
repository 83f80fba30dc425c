package dev.runway.executor.database;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import dev.runway.events.BackupDatabase;
import dev.runway.events.DatabaseBackedUp;
import dev.runway.executor.commands.CommandContext;
import dev.runway.executor.commands.Plan;
import dev.runway.executor.config.ExecutorConfig;
import dev.runway.executor.store.DeploymentFacts;

/** BackupDatabase (sop.md 000-8.3): a verified pg_dump before migrations, then retention. */
@ApplicationScoped
public class DatabaseBackup {

    private final ExecutorConfig config;
    private final DeploymentFacts facts;
    private final DatabaseCredentials credentials;
    private final PgTools pg;

    public DatabaseBackup(ExecutorConfig config, DeploymentFacts facts, DatabaseCredentials credentials, PgTools pg) {
        this.config = config;
        this.facts = facts;
        this.credentials = credentials;
        this.pg = pg;
    }

    public Plan plan(CommandContext ctx, BackupDatabase command) {
        ClientDatabase db = credentials.of(ctx.project(), ctx.environment());
        Path dir = pg.backupDir(ctx.environment());
        String backupId = "backup_" + PgTools.stamp(ctx.header().getOccurredAt()) + "_" + db.database() + "_"
                + ctx.deploymentId().substring(0, Math.min(8, ctx.deploymentId().length()));
        Path file = dir.resolve(backupId + ".dump");
        AtomicLong size = new AtomicLong();
        AtomicBoolean verified = new AtomicBoolean();
        int retention = config.database().retentionDays();
        return new Plan()
                .step("check that " + pg.pgDump() + " can dump the server of " + db.describe() + " (client major >= server major)",
                        () -> pg.checkVersion(db))
                .step(pg.pgDump() + " --format=custom --compress=9 --file=" + file + " " + db.describe(), () -> size.set(pg.dump(db, file)))
                .step(pg.pgRestore() + " --list " + file + " (verification, sop.md 000-8.3)", () -> {
                    pg.verify(db, file);
                    verified.set(true);
                    facts.put(ctx.deploymentId(), DeploymentFacts.BACKUP_ID, backupId);
                })
                .step("delete backup_*.dump in " + dir + " older than " + retention + " days", () -> PgTools.prune(dir, retention))
                .reply(() -> DatabaseBackedUp.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step())
                        .setBackupId(backupId).setLocation(file.toString()).setSizeBytes(size.get()).setVerified(verified.get())
                        .build());
    }
}

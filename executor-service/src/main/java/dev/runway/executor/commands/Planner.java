package dev.runway.executor.commands;

import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import dev.runway.events.ApplyMigrations;
import dev.runway.events.BackupDatabase;
import dev.runway.events.Decommission;
import dev.runway.events.DeployGreen;
import dev.runway.events.PromoteGreen;
import dev.runway.events.RemoveGreen;
import dev.runway.events.RestoreDatabase;
import dev.runway.events.RollOut;
import dev.runway.events.RollbackTraffic;
import dev.runway.events.ShiftTraffic;
import dev.runway.events.TargetKind;
import dev.runway.events.UndoRollout;
import dev.runway.executor.config.Environments;
import dev.runway.executor.config.ExecutorConfig;
import dev.runway.executor.database.DatabaseBackup;
import dev.runway.executor.database.DatabaseMigrations;
import dev.runway.executor.database.DatabaseRestore;
import dev.runway.executor.store.DeploymentFacts;

/** Chooses who carries out a command and asks it for its plan. */
@ApplicationScoped
public class Planner {

    private final Instance<DeploymentTarget> targets;
    private final DatabaseBackup backup;
    private final DatabaseMigrations migrations;
    private final DatabaseRestore restore;
    private final DeploymentFacts facts;
    private final ExecutorConfig config;

    public Planner(Instance<DeploymentTarget> targets, DatabaseBackup backup, DatabaseMigrations migrations, DatabaseRestore restore,
            DeploymentFacts facts, ExecutorConfig config) {
        this.targets = targets;
        this.backup = backup;
        this.migrations = migrations;
        this.restore = restore;
        this.facts = facts;
        this.config = config;
    }

    public Plan plan(CommandContext ctx) {
        Object c = ctx.command();
        if (c instanceof BackupDatabase cmd) {
            return backup.plan(ctx, cmd);
        } else if (c instanceof ApplyMigrations cmd) {
            return migrations.plan(ctx, cmd);
        } else if (c instanceof RestoreDatabase cmd) {
            return restore.plan(ctx, cmd);
        } else if (c instanceof DeployGreen cmd) {
            return target(ctx, cmd.getTarget()).deployGreen(ctx, cmd);
        } else if (c instanceof RollOut cmd) {
            return target(ctx, cmd.getTarget()).rollOut(ctx, cmd);
        } else if (c instanceof ShiftTraffic cmd) {
            return targetOf(ctx).shiftTraffic(ctx, cmd);
        } else if (c instanceof PromoteGreen cmd) {
            return targetOf(ctx).promoteGreen(ctx, cmd);
        } else if (c instanceof Decommission cmd) {
            return targetOf(ctx).decommission(ctx, cmd);
        } else if (c instanceof RollbackTraffic cmd) {
            return targetOf(ctx).rollbackTraffic(ctx, cmd);
        } else if (c instanceof RemoveGreen cmd) {
            return targetOf(ctx).removeGreen(ctx, cmd);
        } else if (c instanceof UndoRollout cmd) {
            return targetOf(ctx).undoRollout(ctx, cmd);
        }
        throw new StepFailure("UNSUPPORTED_COMMAND", ctx.type() + " is not an executor command", false);
    }

    /** The target the deployment's first command used; else the environment's configured one. */
    private DeploymentTarget targetOf(CommandContext ctx) {
        TargetKind kind = facts.get(ctx.deploymentId(), DeploymentFacts.TARGET).map(TargetKind::valueOf)
                .orElseGet(() -> Environments.settings(config, ctx.environment()).targetKind());
        return target(ctx, kind);
    }

    /** The target of {@code kind}, if the operator allows it in the command's environment (issue 15). */
    private DeploymentTarget target(CommandContext ctx, TargetKind kind) {
        if (kind == null) {
            throw new StepFailure("UNSUPPORTED_TARGET", ctx.type() + " names no target", false);
        }
        String env = ctx.environment().name().toLowerCase(Locale.ROOT);
        List<TargetKind> allowed = Environments.settings(config, ctx.environment()).allowedTargets();
        if (!allowed.contains(kind)) {
            throw new StepFailure("TARGET_NOT_ALLOWED", env + " does not allow the " + kind.name().toLowerCase(Locale.ROOT)
                    + " target: the operator allows only " + allowed + " there (runway.executor.environments." + env
                    + ".allowed-targets); nothing was done", false);
        }
        for (DeploymentTarget target : targets) {
            if (target.kind() == kind) {
                return target;
            }
        }
        throw new StepFailure("UNSUPPORTED_TARGET", "no " + kind + " target", false);
    }
}

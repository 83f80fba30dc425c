package dev.runway.executor.commands;

import dev.runway.events.Decommission;
import dev.runway.events.DeployGreen;
import dev.runway.events.PromoteGreen;
import dev.runway.events.RemoveGreen;
import dev.runway.events.RollOut;
import dev.runway.events.RollbackTraffic;
import dev.runway.events.ShiftTraffic;
import dev.runway.events.TargetKind;
import dev.runway.events.UndoRollout;

/** A place releases run (Kubernetes, hosts behind nginx): one plan per command. */
public interface DeploymentTarget {

    TargetKind kind();

    Plan deployGreen(CommandContext ctx, DeployGreen command);

    Plan shiftTraffic(CommandContext ctx, ShiftTraffic command);

    Plan promoteGreen(CommandContext ctx, PromoteGreen command);

    Plan decommission(CommandContext ctx, Decommission command);

    Plan rollbackTraffic(CommandContext ctx, RollbackTraffic command);

    Plan removeGreen(CommandContext ctx, RemoveGreen command);

    Plan rollOut(CommandContext ctx, RollOut command);

    Plan undoRollout(CommandContext ctx, UndoRollout command);
}

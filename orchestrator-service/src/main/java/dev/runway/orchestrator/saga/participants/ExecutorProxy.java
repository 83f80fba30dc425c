package dev.runway.orchestrator.saga.participants;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;

import dev.runway.events.ApplyMigrations;
import dev.runway.events.BackupDatabase;
import dev.runway.events.ComponentSpec;
import dev.runway.events.DatabaseBackedUp;
import dev.runway.events.DatabaseRestored;
import dev.runway.events.Decommission;
import dev.runway.events.Decommissioned;
import dev.runway.events.DeployGreen;
import dev.runway.events.EventHeader;
import dev.runway.events.GreenDeployed;
import dev.runway.events.GreenPromoted;
import dev.runway.events.GreenRemoved;
import dev.runway.events.MigrationApplied;
import dev.runway.events.PromoteGreen;
import dev.runway.events.RemoveGreen;
import dev.runway.events.RestoreDatabase;
import dev.runway.events.RollOut;
import dev.runway.events.RollbackTraffic;
import dev.runway.events.RolledOut;
import dev.runway.events.RolloutUndone;
import dev.runway.events.ShiftTraffic;
import dev.runway.events.StepFailed;
import dev.runway.events.StepProgress;
import dev.runway.events.Strategy;
import dev.runway.events.TargetKind;
import dev.runway.events.Topics;
import dev.runway.events.TrafficRolledBack;
import dev.runway.events.TrafficShifted;
import dev.runway.events.UndoRollout;
import dev.runway.orchestrator.deployment.Deployment;
import dev.runway.orchestrator.deployment.DeploymentPlan;
import dev.runway.orchestrator.deployment.ReleaseEndpoints;
import dev.runway.orchestrator.saga.SagaStep;

/**
 * The executor: changes the target (host or Kubernetes) and the project's database. It reads the commands of
 * command steps and their compensations on {@link Topics#EXECUTOR_COMMANDS} and answers on
 * {@link Topics#EXECUTOR_RESULTS}, echoing the step name.
 */
@ApplicationScoped
public class ExecutorProxy implements Participant {

    /** Migrations live here when the manifest names no other path. */
    private static final String MIGRATIONS_PATH = "database/migrations";
    private static final String MIGRATIONS_TOOL = "sql";

    private final Replies replies;

    public ExecutorProxy(ReleaseEndpoints endpoints) {
        this.replies = new Replies()
                .on(DatabaseBackedUp.class, (d, plan, r) -> {
                    d.backupId = r.getBackupId(); // RestoreDatabase needs it if a later step fails
                    return ReplyOutcome.succeeded(r.getStep(), "backup " + r.getBackupId() + " (" + r.getSizeBytes()
                            + " bytes, verified " + r.getVerified() + ")");
                })
                .on(MigrationApplied.class, (d, plan, r) -> {
                    d.appliedMigrations = String.join(",", r.getApplied()); // what RestoreDatabase may undo
                    return ReplyOutcome.succeeded(r.getStep(), "applied " + r.getApplied());
                })
                .on(GreenDeployed.class, (d, plan, r) -> {
                    endpoints.record(d, r.getEndpoints()); // where the watches look
                    d.newSlot = r.getSlot(); // the colour it replaced is the other one, kept after promotion
                    return ReplyOutcome.succeeded(r.getStep(), r.getVersion() + " in slot " + r.getSlot());
                })
                .on(TrafficShifted.class, (d, plan, r) -> ReplyOutcome.succeeded(r.getStep(), r.getPercent() + "% on " + r.getSlot()))
                .on(GreenPromoted.class, (d, plan, r) -> {
                    d.newSlot = r.getSlot(); // what is live now, as the executor says
                    return ReplyOutcome.succeeded(r.getStep(), r.getSlot() + " is live");
                })
                .on(Decommissioned.class, (d, plan, r) -> ReplyOutcome.succeeded(r.getStep(), "decommissioned " + r.getSlot()))
                .on(RolledOut.class, (d, plan, r) -> ReplyOutcome.succeeded(r.getStep(), "rolled out " + r.getVersion()))
                .on(RolloutUndone.class, (d, plan, r) -> ReplyOutcome.succeeded(r.getStep(), "rollout undone"))
                .on(TrafficRolledBack.class, (d, plan, r) -> ReplyOutcome.succeeded(r.getStep(), "traffic back on " + r.getSlot()))
                .on(GreenRemoved.class, (d, plan, r) -> ReplyOutcome.succeeded(r.getStep(), "removed " + r.getSlot()))
                .on(DatabaseRestored.class, (d, plan, r) -> ReplyOutcome.succeeded(r.getStep(), "restored by " + r.getMethod()))
                .on(StepFailed.class, (d, plan, r) -> ReplyOutcome.failed(r.getStep(), r.getCode() + ": " + r.getReason()))
                .on(StepProgress.class, (d, plan, r) -> ReplyOutcome.progress(r.getStep(),
                        r.getStep() + " " + r.getPercent() + "%: " + r.getMessage()));
    }

    @Override
    public String name() {
        return "executor";
    }

    @Override
    public String replyTopic() {
        return Topics.EXECUTOR_RESULTS;
    }

    @Override
    public Set<Class<? extends SpecificRecord>> replyTypes() {
        return replies.types();
    }

    @Override
    public Optional<ReplyOutcome> understand(Deployment d, DeploymentPlan plan, SpecificRecord reply) {
        return replies.read(d, plan, reply);
    }

    /** The command that carries out a command step. */
    public Command invoke(Deployment d, DeploymentPlan plan, SagaStep step, EventHeader header) {
        TargetKind target = TargetKind.valueOf(plan.target());
        SpecificRecord command = switch (step.action()) {
            case BACKUP_DATABASE -> BackupDatabase.newBuilder().setHeader(header).setStep(step.name())
                    .setFencingToken(token(d)).setDryRun(d.dryRun).build();
            case APPLY_MIGRATIONS -> ApplyMigrations.newBuilder().setHeader(header).setStep(step.name())
                    .setFencingToken(token(d)).setDryRun(d.dryRun)
                    .setRepository(Records.repository(d))
                    .setMigrationsPath(plan.migrationsPath() == null ? MIGRATIONS_PATH : plan.migrationsPath())
                    .setValidatedMigrations(Records.migrationSet(d.validatedMigrations))
                    .setMigrationsTool(plan.migrationsTool() == null ? MIGRATIONS_TOOL : plan.migrationsTool()).build();
            case DEPLOY_GREEN -> DeployGreen.newBuilder().setHeader(header).setStep(step.name()).setFencingToken(token(d))
                    .setDryRun(d.dryRun).setVersion(d.version).setTarget(target).setStrategy(Strategy.valueOf(d.strategy))
                    .setComponents(specs(plan)).setRepository(Records.repository(d)).build();
            case ROLL_OUT -> RollOut.newBuilder().setHeader(header).setStep(step.name()).setFencingToken(token(d))
                    .setDryRun(d.dryRun).setVersion(d.version).setTarget(target).setComponents(specs(plan))
                    .setMaxSurge("25%").setMaxUnavailable("0").setRepository(Records.repository(d)).build();
            case SHIFT_TRAFFIC -> ShiftTraffic.newBuilder().setHeader(header).setStep(step.name()).setFencingToken(token(d))
                    .setDryRun(d.dryRun).setVersion(d.version).setPercent(step.percent())
                    .setComponents(Records.componentNames(plan)).build();
            case PROMOTE_GREEN -> PromoteGreen.newBuilder().setHeader(header).setStep(step.name()).setFencingToken(token(d))
                    .setDryRun(d.dryRun).setVersion(d.version).setComponents(Records.componentNames(plan)).build();
            default -> throw new IllegalStateException("not a command step: " + step.action());
        };
        return new Command(Topics.EXECUTOR_COMMANDS, command);
    }

    /** The command that undoes a completed step. */
    public Command compensate(Deployment d, DeploymentPlan plan, SagaStep step, EventHeader header) {
        List<String> names = Records.componentNames(plan);
        String name = step.compensationName();
        SpecificRecord command = switch (step.compensation()) {
            case REMOVE_GREEN -> RemoveGreen.newBuilder().setHeader(header).setStep(name).setFencingToken(token(d))
                    .setDryRun(d.dryRun).setComponents(names).build();
            case UNDO_ROLLOUT -> UndoRollout.newBuilder().setHeader(header).setStep(name).setFencingToken(token(d))
                    .setDryRun(d.dryRun).setComponents(names).build();
            case ROLLBACK_TRAFFIC -> RollbackTraffic.newBuilder().setHeader(header).setStep(name).setFencingToken(token(d))
                    .setDryRun(d.dryRun).setComponents(names).build();
            case RESTORE_DATABASE -> RestoreDatabase.newBuilder().setHeader(header).setStep(name).setFencingToken(token(d))
                    .setDryRun(d.dryRun).setBackupId(d.backupId)
                    .setMigrations(d.appliedMigrations == null || d.appliedMigrations.isBlank() ? List.of()
                            : List.of(d.appliedMigrations.split(",")))
                    .setPreferDownMigrations(true).build();
            case NONE -> throw new IllegalStateException(step.name() + " has no compensation");
        };
        return new Command(Topics.EXECUTOR_COMMANDS, command);
    }

    /**
     * Stops the colour a finished deployment replaced, once its keep period is over. Not a saga step: sent under the
     * fencing token of the project environment's lock taken for it; {@code step} is echoed by the reply.
     */
    public Command decommission(EventHeader header, String step, long fencingToken, String slot, List<String> components) {
        return new Command(Topics.EXECUTOR_COMMANDS, Decommission.newBuilder().setHeader(header).setStep(step)
                .setFencingToken(fencingToken).setDryRun(false).setSlot(slot).setComponents(components).build());
    }

    private static long token(Deployment d) {
        return d.fencingToken == null ? 0L : d.fencingToken;
    }

    private static List<ComponentSpec> specs(DeploymentPlan plan) {
        return plan.components().stream().map(c -> ComponentSpec.newBuilder().setName(c.name()).setImage(c.image())
                .setArtifact(c.artifact()).setPort(c.port()).setHealthcheck(c.healthcheck()).setReplicas(c.replicas())
                .setCpu(c.cpu()).setMemory(c.memory()).build()).toList();
    }
}

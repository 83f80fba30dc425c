package dev.runway.executor.commands;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.jboss.logging.Logger;

import dev.runway.events.StepFailed;
import dev.runway.events.StepProgress;
import dev.runway.executor.config.ExecutorConfig;
import dev.runway.executor.messaging.ExecutorResultPublisher;
import dev.runway.executor.store.CommandLog;

/**
 * Carries out one executor command exactly once: replays the recorded reply of a command seen
 * before, rejects stale fencing tokens, records STARTED before the first side effect and FINISHED
 * (with the reply) after the last, reports progress per step, and turns failures into StepFailed.
 */
@ApplicationScoped
public class CommandHandler {

    private static final Logger LOG = Logger.getLogger(CommandHandler.class);
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(30);

    private final CommandLog log;
    private final Planner planner;
    private final ExecutorResultPublisher publisher;
    private final Clock clock;
    private final Duration maxCommandAge;

    public CommandHandler(CommandLog log, Planner planner, ExecutorResultPublisher publisher,
            ExecutorConfig config) {
        this.log = log;
        this.planner = planner;
        this.publisher = publisher;
        this.clock = Clock.systemUTC();
        this.maxCommandAge = config.maxCommandAge();
    }

    /** Carries out {@code command}, which this executor received at {@code receivedAt} (its age counts up to then). */
    public void handle(SpecificRecord command, Instant receivedAt) {
        CommandContext ctx = CommandContext.of(command, clock);
        var seen = log.find(ctx.commandId());
        if (seen.isPresent()) {
            CommandLog.Entry entry = seen.get();
            if (entry.status() == CommandLog.Status.FINISHED) {
                LOG.infof("%s %s seen before: replaying its recorded %s", ctx.type(), ctx.commandId(), entry.reply().getSchema().getName());
                send(entry.reply());
            } else {
                interrupted(entry, ctx);
            }
            return;
        }
        Optional<Duration> tooOld = CommandAge.tooOld(ctx.type(), ctx.header().getOccurredAt(), receivedAt, maxCommandAge);
        if (tooOld.isPresent()) {
            Duration age = tooOld.get();
            LOG.infof("%s %s is %d s old (limit %d s): answered EXPIRED, not carried out", ctx.type(), ctx.commandId(),
                    age.toSeconds(), maxCommandAge.toSeconds());
            send(failed(ctx, "EXPIRED", ctx.type() + " was issued " + age.toSeconds() + " s ago, more than the "
                    + maxCommandAge.toSeconds() + " s an executor accepts (runway.executor.max-command-age): not carried out", false));
            return;
        }
        CommandLog.Claim claim = log.start(ctx);
        if (claim == CommandLog.Claim.STALE) {
            long newest = log.newestToken(ctx.project(), ctx.environment().name());
            StepFailed stale = failed(ctx, "STALE_LOCK", "fencing token " + ctx.fencingToken() + " is older than " + newest
                    + ", the newest seen for " + ctx.project() + " in " + ctx.environment().name().toLowerCase()
                    + ": the sender no longer holds that project environment's lock", false);
            log.recordAnswered(ctx, "rejected: stale fencing token", stale);
            send(stale);
            return;
        }
        if (claim == CommandLog.Claim.ALREADY_SEEN) {
            return; // a concurrent delivery of the same command owns it
        }
        SpecificRecord reply = execute(ctx);
        log.finish(ctx.commandId(), reply);
        send(reply);
    }

    private SpecificRecord execute(CommandContext ctx) {
        Plan plan;
        try {
            plan = planner.plan(ctx);
        } catch (StepFailure f) {
            return failed(ctx, f.code(), f.getMessage(), f.retryable());
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not plan %s %s", ctx.type(), ctx.commandId());
            return failed(ctx, "PLANNING_FAILED", "could not plan " + ctx.type() + ": " + message(e), true);
        }
        log.describe(ctx.commandId(), (ctx.dryRun() ? "dry run\n" : "") + plan.describe());
        List<Plan.Step> steps = plan.steps();
        if (ctx.dryRun()) {
            for (int i = 0; i < steps.size(); i++) {
                send(progress(ctx, 0, "dry run, would " + (i + 1) + "/" + steps.size() + ": " + steps.get(i).description()));
            }
            return plan.buildReply();
        }
        for (int i = 0; i < steps.size(); i++) {
            Plan.Step step = steps.get(i);
            try {
                step.action().run();
            } catch (StepFailure f) {
                LOG.warnf("%s %s failed at step %d (%s): %s", ctx.type(), ctx.commandId(), i + 1, step.description(), f.getMessage());
                return failed(ctx, f.code(), "step " + (i + 1) + "/" + steps.size() + " (" + step.description() + "): " + f.getMessage(), f.retryable());
            } catch (Exception e) {
                LOG.errorf(e, "%s %s failed at step %d (%s)", ctx.type(), ctx.commandId(), i + 1, step.description());
                return failed(ctx, "EXECUTION_FAILED", "step " + (i + 1) + "/" + steps.size() + " (" + step.description() + "): " + message(e), true);
            }
            if (steps.size() > 1) {
                send(progress(ctx, (i + 1) * 100 / steps.size(), step.description()));
            }
        }
        return plan.buildReply();
    }

    /** At start-up: closes every command an earlier run left STARTED. */
    public int recoverInterrupted() {
        List<CommandLog.Entry> inFlight = log.inFlight();
        for (CommandLog.Entry entry : inFlight) {
            interrupted(entry, CommandContext.of(entry.command(), clock));
        }
        return inFlight.size();
    }

    /**
     * A command recorded STARTED but never FINISHED: the executor stopped while carrying it out.
     * It is not re-run blindly; it is closed with a StepFailed that says what may be partly applied.
     */
    public void interrupted(CommandLog.Entry entry, CommandContext ctx) {
        boolean database = entry.type().endsWith("Migrations") || entry.type().equals("RestoreDatabase");
        StepFailed failure = failed(ctx, "INTERRUPTED", "the executor stopped while carrying out " + entry.type() + " (step "
                + entry.step() + ", started " + entry.startedAt() + "); it may be partly applied. Planned: "
                + entry.plan().replace('\n', ' ').trim() + (database ? " Check the schema history before retrying." : " Its steps may be re-applied."),
                !database);
        if (log.finishIfStarted(entry.commandId(), failure)) {
            LOG.warnf("%s %s was interrupted by an executor stop: reported as StepFailed INTERRUPTED", entry.type(), entry.commandId());
            send(failure);
        } else {
            log.find(entry.commandId()).map(CommandLog.Entry::reply).ifPresent(this::send);
        }
    }

    private StepFailed failed(CommandContext ctx, String code, String reason, boolean retryable) {
        return StepFailed.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step())
                .setCode(code).setReason(reason).setRetryable(retryable).build();
    }

    private StepProgress progress(CommandContext ctx, int percent, String message) {
        return StepProgress.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step())
                .setPercent(percent).setMessage(message).build();
    }

    private void send(SpecificRecord record) {
        publisher.publish(record).await().atMost(PUBLISH_TIMEOUT);
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}

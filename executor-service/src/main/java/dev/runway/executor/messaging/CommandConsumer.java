package dev.runway.executor.messaging;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import dev.runway.events.Topics;
import dev.runway.executor.commands.CommandContext;
import dev.runway.executor.commands.CommandHandler;
import dev.runway.executor.config.ExecutorConfig;
import dev.runway.messaging.inbound.InboundPipeline;
import dev.runway.messaging.inbound.PoisonRecordException;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Commands on {@value Topics#EXECUTOR_COMMANDS}, taken in through messaging-support's
 * {@link InboundPipeline}: a poison record (undecodable, or a record that is not an executor command)
 * goes to {@code runway.executor.commands.dlq} at once with the {@code dead-letter-*} headers; any
 * other failure (Postgres, the registry, the broker unavailable) is retried with backoff, which the
 * command log makes safe (a command seen before replays its recorded reply).
 */
@ApplicationScoped
public class CommandConsumer {

    /**
     * The worker pool commands run on; its size ({@code smallrye.messaging.worker.runway-commands.max-concurrency}) is
     * how many project environments' commands run at once.
     */
    static final String WORKERS = "runway-commands";
    private static final Logger LOG = Logger.getLogger(CommandConsumer.class);

    private final InboundPipeline inbound;
    private final CommandHandler handler;
    private final Pattern projects;
    private final ProjectEnvLanes lanes = new ProjectEnvLanes();

    public CommandConsumer(InboundPipeline inbound, CommandHandler handler, ExecutorConfig config) {
        this.inbound = inbound;
        this.handler = handler;
        this.projects = Pattern.compile(config.projects());
    }

    /** Commands a previous run left half-done are reported before new ones are read. */
    void onStart(@Observes StartupEvent event) {
        int recovered = handler.recoverInterrupted();
        if (recovered > 0) {
            LOG.warnf("%d command(s) were interrupted by the previous stop and are reported as StepFailed INTERRUPTED", recovered);
        }
    }

    /**
     * Commands of different project environments run at the same time (one project's rollout never
     * waits for another's); those of one project environment one at a time, in arrival order, as its
     * lock holder sends them ({@link ProjectEnvLanes}), at most as many at once as the {@value #WORKERS} pool has
     * workers. A command's age is taken when it was fetched ({@link ReceivedAt}), so waiting here never expires it.
     * A command keeps its place in its lane while
     * the pipeline retries it, so a later command never overtakes one that met an infrastructure
     * error. Offsets are committed only up to the oldest unfinished record (the connector's
     * throttled strategy).
     */
    @Incoming(Topics.EXECUTOR_COMMANDS)
    @Blocking(value = WORKERS, ordered = false)
    public void consume(ConsumerRecord<String, byte[]> record) {
        Instant received = ReceivedAt.of(record).orElseGet(Instant::now);
        AtomicReference<Semaphore> lane = new AtomicReference<>();
        try {
            inbound.processBlocking(record, command -> {
                CommandContext ctx = commandOf(command);
                if (!projects.matcher(ctx.project()).matches()) {
                    LOG.debugf("command for project %s is served by another executor (runway.executor.projects=%s)", ctx.project(), projects);
                    return;
                }
                if (lane.get() == null) {
                    lane.set(lanes.enter(ctx.project(), ctx.environment()));
                }
                handler.handle(command, received);
            });
        } finally {
            Semaphore held = lane.getAndSet(null);
            if (held != null) {
                held.release();
            }
        }
    }

    /** The command's shared parts; a record of the contract that is not an executor command is poison. */
    private static CommandContext commandOf(SpecificRecord record) {
        try {
            return CommandContext.of(record, Clock.systemUTC());
        } catch (RuntimeException e) {
            throw new PoisonRecordException(e.getMessage() == null ? "not an executor command" : e.getMessage(), e);
        }
    }
}

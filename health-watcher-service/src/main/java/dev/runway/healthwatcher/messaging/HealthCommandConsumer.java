package dev.runway.healthwatcher.messaging;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import dev.runway.events.Envelopes;
import dev.runway.events.StartWatch;
import dev.runway.events.StopWatch;
import dev.runway.events.Topics;
import dev.runway.healthwatcher.metrics.WatcherMetrics;
import dev.runway.healthwatcher.plan.InvalidCommandException;
import dev.runway.healthwatcher.plan.WatchPlanner;
import dev.runway.healthwatcher.watch.WatchService;
import dev.runway.messaging.inbound.InboundPipeline;
import dev.runway.messaging.inbound.PoisonRecordException;
import io.smallrye.mutiny.Uni;

/**
 * Consumes {@value Topics#HEALTH_COMMANDS} through messaging-support's {@link InboundPipeline}. A command
 * is acknowledged once its effect is stored. A poison record (undecodable, not a StartWatch/StopWatch,
 * or a command that cannot be watched) goes unchanged to {@code runway.health.commands.dlq} at once,
 * with SmallRye's {@code dead-letter-*} headers; a storage failure is retried (start and stop are
 * idempotent on the watch id).
 */
@ApplicationScoped
public class HealthCommandConsumer {

    private static final Logger LOG = Logger.getLogger(HealthCommandConsumer.class);

    private final InboundPipeline inbound;
    private final WatchPlanner planner;
    private final WatchService watches;
    private final WatcherMetrics metrics;
    private final Clock clock = Clock.systemUTC();

    public HealthCommandConsumer(InboundPipeline inbound, WatchPlanner planner, WatchService watches, WatcherMetrics metrics) {
        this.inbound = inbound;
        this.planner = planner;
        this.watches = watches;
        this.metrics = metrics;
    }

    @Incoming(Topics.HEALTH_COMMANDS)
    public Uni<Void> consume(ConsumerRecord<String, byte[]> record) {
        Outcome outcome = new Outcome();
        return inbound.process(record, command -> Uni.createFrom().deferred(() -> apply(command, outcome))
                        .onItem().invoke(() -> outcome.rejected = null)
                        .onFailure().transform(failure -> rejection(command, failure, outcome)))
                .invoke(() -> {
                    if (outcome.rejected != null) {
                        metrics.commandRejected(outcome.rejected);
                    }
                });
    }

    private Uni<Void> apply(SpecificRecord command, Outcome outcome) {
        if (command instanceof StartWatch start) {
            if (!planner.accepts(start.getHeader().getProject())) {
                return Uni.createFrom().voidItem();
            }
            if (planner.expired(start, clock.instant())) {
                LOG.infof("StartWatch %s of %s issued at %s: its window is long over, not started", start.getWatchId(),
                        start.getHeader().getDeploymentId(), start.getHeader().getOccurredAt());
                return Uni.createFrom().voidItem();
            }
            return watches.start(start);
        }
        if (command instanceof StopWatch stop) {
            if (!planner.accepts(stop.getHeader().getProject())) {
                return Uni.createFrom().voidItem();
            }
            return watches.stop(stop);
        }
        outcome.rejected = "unexpected-type";
        throw new PoisonRecordException(command.getSchema().getName() + " is not a health command");
    }

    /** A command that cannot be watched is poison; anything else (storage) is passed on, to be retried. */
    private static Throwable rejection(SpecificRecord command, Throwable failure, Outcome outcome) {
        if (failure instanceof InvalidCommandException invalid) {
            outcome.rejected = invalid.kind();
            return new PoisonRecordException(command.getSchema().getName() + " " + Envelopes.headerOf(command).getEventId()
                    + " rejected: " + failure.getMessage(), failure);
        }
        return failure; // storage and the like: retried for as long as it takes, never dead-lettered
    }

    /** Why one record ended on the dead-letter topic, for runway_health_commands_dead_lettered_total; null once applied. */
    private static final class Outcome {
        // Until the handler runs, only decoding can have failed.
        volatile String rejected = "undecodable";
    }
}

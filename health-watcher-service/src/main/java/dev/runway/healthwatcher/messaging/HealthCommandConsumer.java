package dev.runway.healthwatcher.messaging;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import dev.runway.events.Envelopes;
import dev.runway.events.StartWatch;
import dev.runway.events.StopWatch;
import dev.runway.events.Topics;
import dev.runway.healthwatcher.watch.InvalidCommandException;
import dev.runway.healthwatcher.watch.WatchService;
import dev.runway.healthwatcher.watch.WatcherMetrics;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Consumes {@value Topics#HEALTH_COMMANDS}. A command is acknowledged once its effect is stored; a
 * record that does not decode, is not a StartWatch/StopWatch, or cannot be watched is nacked with the
 * reason and so lands on {@code runway.health.commands.dlq} (failure-strategy=dead-letter-queue).
 */
@ApplicationScoped
public class HealthCommandConsumer {

    private static final Logger LOG = Logger.getLogger(HealthCommandConsumer.class);

    private final CommandDecoder decoder;
    private final WatchService watches;
    private final WatcherMetrics metrics;

    public HealthCommandConsumer(CommandDecoder decoder, WatchService watches, WatcherMetrics metrics) {
        this.decoder = decoder;
        this.watches = watches;
        this.metrics = metrics;
    }

    @Incoming(Topics.HEALTH_COMMANDS)
    public Uni<Void> consume(Message<byte[]> message) {
        // The serde may ask the registry for a schema (blocking HTTP): never on the event loop.
        return Uni.createFrom().item(() -> decoder.decode(message.getPayload()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onItemOrFailure().transformToUni((record, failure) -> failure != null
                        ? reject(message, "undecodable", "cannot decode record: " + failure.getMessage())
                        : handle(message, record));
    }

    private Uni<Void> handle(Message<byte[]> message, SpecificRecord record) {
        Uni<Void> work;
        try {
            if (record instanceof StartWatch start) {
                if (!watches.accepts(start.getHeader().getProject())) {
                    return Uni.createFrom().completionStage(message.ack());
                }
                if (watches.expired(start, java.time.Instant.now())) {
                    LOG.infof("StartWatch %s of %s issued at %s: its window is long over, not started", start.getWatchId(),
                            start.getHeader().getDeploymentId(), start.getHeader().getOccurredAt());
                    return Uni.createFrom().completionStage(message.ack());
                }
                work = watches.start(start);
            } else if (record instanceof StopWatch stop) {
                if (!watches.accepts(stop.getHeader().getProject())) {
                    return Uni.createFrom().completionStage(message.ack());
                }
                work = watches.stop(stop);
            } else {
                return reject(message, "unexpected-type", record.getSchema().getName() + " is not a health command");
            }
        } catch (InvalidCommandException e) {
            return reject(message, "invalid", record.getSchema().getName() + " " + Envelopes.headerOf(record).getEventId()
                    + " rejected: " + e.getMessage());
        }
        return work.onItemOrFailure().transformToUni((x, failure) -> {
            if (failure instanceof InvalidCommandException) {
                return reject(message, "invalid", failure.getMessage());
            }
            if (failure != null) {
                // Storage failed: not a bad record. Nack it so it is not lost; the failure strategy parks it with the reason.
                LOG.errorf(failure, "could not process %s", record.getSchema().getName());
                return Uni.createFrom().completionStage(message.nack(failure));
            }
            return Uni.createFrom().completionStage(message.ack());
        });
    }

    private Uni<Void> reject(Message<byte[]> message, String kind, String reason) {
        LOG.warnf("dead-lettering a health command: %s", reason);
        metrics.commandRejected(kind);
        CompletionStage<Void> nack = message.nack(new IllegalArgumentException(reason));
        return Uni.createFrom().completionStage(nack);
    }
}

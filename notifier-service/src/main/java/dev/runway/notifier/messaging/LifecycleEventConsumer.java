package dev.runway.notifier.messaging;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import dev.runway.events.Envelopes;
import dev.runway.events.Topics;
import dev.runway.messaging.Redaction;
import dev.runway.messaging.inbound.InboundPipeline;
import dev.runway.messaging.inbound.PoisonRecordException;
import dev.runway.notifier.delivery.DeliveryRepository;
import dev.runway.notifier.delivery.Dispatcher;
import io.smallrye.mutiny.Uni;

/**
 * Reads the public lifecycle topic and the health-watcher's decisions, as bytes through
 * messaging-support's {@link InboundPipeline}. A record is acknowledged (its offset committed) once its
 * deliveries are in Postgres, not once they are sent, so a slow endpoint never holds the consumer back.
 * A record that cannot be decoded, or is of a type that does not belong on its topic, is poison: it goes
 * at once to {@code <topic>.dlq} with the reason. Postgres unavailable is not the record's fault: the
 * pipeline retries it with backoff. A retry is safe: deliveries are written once per event and endpoint.
 */
@ApplicationScoped
public class LifecycleEventConsumer {

    private static final Logger LOG = Logger.getLogger(LifecycleEventConsumer.class);

    static final Set<String> LIFECYCLE = Set.of("DeployRequested", "ApprovalRequested", "ApprovalGranted",
            "DeploymentStarted", "StepStarted", "StepCompleted", "DeploymentSucceeded", "DeploymentRolledBack",
            "DeploymentFailed", "NeedsAttention", "DeploymentCancelled");
    static final Set<String> HEALTH = Set.of("HealthCheckPassed", "ThresholdBreached", "RollbackDecided");

    private final InboundPipeline inbound;
    private final ReceivedEvents received;
    private final NotificationIntake intake;
    private final Dispatcher dispatcher;

    public LifecycleEventConsumer(InboundPipeline inbound, ReceivedEvents received, NotificationIntake intake, Dispatcher dispatcher) {
        this.inbound = inbound;
        this.received = received;
        this.intake = intake;
        this.dispatcher = dispatcher;
    }

    @Incoming(Topics.DEPLOYMENTS)
    public Uni<Void> onLifecycleEvent(ConsumerRecord<String, byte[]> record) {
        return inbound.process(record, event -> handle(event, LIFECYCLE, Topics.DEPLOYMENTS));
    }

    @Incoming(Topics.HEALTH_DECISIONS)
    public Uni<Void> onHealthDecision(ConsumerRecord<String, byte[]> record) {
        return inbound.process(record, event -> handle(event, HEALTH, Topics.HEALTH_DECISIONS));
    }

    private Uni<Void> handle(SpecificRecord event, Set<String> expected, String topic) {
        String type = event.getSchema().getName();
        if (!expected.contains(type)) {
            return Uni.createFrom().failure(new PoisonRecordException(type + " does not belong on " + topic));
        }
        return intake.accept(event)
                // The rules refuse a record they cannot announce: it never will be.
                .onFailure(IllegalArgumentException.class).transform(e -> new PoisonRecordException(e.getMessage(), e))
                .onFailure(e -> !PoisonRecordException.isPoison(e)).invoke(e -> LOG.warnf(
                        "could not store notifications for %s %s, retrying: %s", type,
                        Envelopes.headerOf(event).getEventId(), Redaction.redact(e.getMessage())))
                .invoke(outcomes -> {
                    // Counted once it is stored, so a retried record is not counted twice.
                    received.record(event);
                    if (outcomes.contains(DeliveryRepository.Enqueued.NEW)) {
                        dispatcher.kick();
                    }
                })
                .replaceWithVoid();
    }
}

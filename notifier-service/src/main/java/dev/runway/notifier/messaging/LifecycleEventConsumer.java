package dev.runway.notifier.messaging;

import java.time.Duration;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import dev.runway.events.Envelopes;
import dev.runway.events.Topics;
import dev.runway.notifier.delivery.DeliveryRepository;
import dev.runway.notifier.delivery.Dispatcher;
import io.smallrye.mutiny.Uni;

/**
 * Reads the public lifecycle topic and the health-watcher's decisions. A record is acknowledged
 * (its offset committed) once its deliveries are in Postgres, not once they are sent, so a slow
 * endpoint never holds the consumer back. Records that cannot be decoded, or are of a type that does
 * not belong on the topic, go to {@code <topic>.dlq} with the reason in headers (failure strategy
 * dead-letter-queue).
 */
@ApplicationScoped
public class LifecycleEventConsumer {

    private static final Logger LOG = Logger.getLogger(LifecycleEventConsumer.class);

    static final Set<String> LIFECYCLE = Set.of("DeployRequested", "ApprovalRequested", "ApprovalGranted",
            "DeploymentStarted", "StepStarted", "StepCompleted", "DeploymentSucceeded", "DeploymentRolledBack",
            "DeploymentFailed", "NeedsAttention", "DeploymentCancelled");
    static final Set<String> HEALTH = Set.of("HealthCheckPassed", "ThresholdBreached", "RollbackDecided");

    private final ReceivedEvents received;
    private final NotificationIntake intake;
    private final Dispatcher dispatcher;

    public LifecycleEventConsumer(ReceivedEvents received, NotificationIntake intake, Dispatcher dispatcher) {
        this.received = received;
        this.intake = intake;
        this.dispatcher = dispatcher;
    }

    @Incoming(Topics.DEPLOYMENTS)
    public Uni<Void> onLifecycleEvent(SpecificRecord event) {
        return handle(event, LIFECYCLE, Topics.DEPLOYMENTS);
    }

    @Incoming(Topics.HEALTH_DECISIONS)
    public Uni<Void> onHealthDecision(SpecificRecord event) {
        return handle(event, HEALTH, Topics.HEALTH_DECISIONS);
    }

    private Uni<Void> handle(SpecificRecord event, Set<String> expected, String topic) {
        String type = event.getSchema().getName();
        if (!expected.contains(type)) {
            // Nacked: the dead-letter queue keeps it with this reason.
            return Uni.createFrom().failure(new IllegalArgumentException(type + " does not belong on " + topic));
        }
        received.record(event);
        return intake.accept(event)
                // Postgres unavailable is not the record's fault: keep it (uncommitted) and try again,
                // for about five minutes before it is dead-lettered rather than lost.
                .onFailure(e -> !(e instanceof IllegalArgumentException)).invoke(e -> LOG.warnf(
                        "could not store notifications for %s %s, retrying: %s", type,
                        Envelopes.headerOf(event).getEventId(), e.getMessage()))
                .onFailure(e -> !(e instanceof IllegalArgumentException)).retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).atMost(40)
                .invoke(outcomes -> {
                    if (outcomes.contains(DeliveryRepository.Enqueued.NEW)) {
                        dispatcher.kick();
                    }
                })
                .replaceWithVoid();
    }
}

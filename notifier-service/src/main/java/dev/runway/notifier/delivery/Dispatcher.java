package dev.runway.notifier.delivery;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

import dev.runway.notifier.NotifierConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Sends what the delivery log says is due. Each pass claims due rows and starts every attempt
 * without waiting for it: attempts run concurrently, each bounded by its endpoint's timeout, so a
 * hanging endpoint delays only its own deliveries. Outcomes go back to the log: delivered, retry
 * later (exponential backoff with jitter), deferred (circuit open), or dead letter.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    private final DeliveryRepository repository;
    private final Senders senders;
    private final EndpointGuards guards;
    private final SecretValues secrets;
    private final NotifierConfig.Delivery config;
    private final MeterRegistry meters;
    private final RandomGenerator random = RandomGenerator.getDefault();
    private final AtomicBoolean passRunning = new AtomicBoolean();
    private final AtomicBoolean passRequested = new AtomicBoolean();

    public Dispatcher(DeliveryRepository repository, Senders senders, EndpointGuards guards, SecretValues secrets,
            NotifierConfig config, MeterRegistry meters) {
        this.repository = repository;
        this.senders = senders;
        this.guards = guards;
        this.secrets = secrets;
        this.config = config.delivery();
        this.meters = meters;
    }

    /** Picks up retries that became due (and anything a kick missed). */
    @Scheduled(every = "${runway.notifier.delivery.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> dispatchDue() {
        return pass();
    }

    /** New deliveries were enqueued: send them now rather than at the next tick. */
    public void kick() {
        pass().subscribe().with(ignored -> {
        }, e -> LOG.warnf("dispatch pass failed: %s", secrets.scrub(e.getMessage())));
    }

    private Uni<Void> pass() {
        if (!passRunning.compareAndSet(false, true)) {
            // One pass at a time; the running one is followed by another so nothing waits for the tick.
            passRequested.set(true);
            return Uni.createFrom().voidItem();
        }
        return repository.claimDue(config.batchSize(), config.lease())
                .invoke(due -> due.forEach(this::attempt))
                .onFailure().invoke(e -> LOG.warnf("dispatch pass failed: %s", secrets.scrub(e.getMessage())))
                .onFailure().recoverWithNull()
                .eventually(() -> {
                    passRunning.set(false);
                    if (passRequested.getAndSet(false)) {
                        kick();
                    }
                })
                .replaceWithVoid();
    }

    private void attempt(Delivery d) {
        guards.call(d.endpoint(), () -> senders.send(d))
                .onItemOrFailure().transformToUni((ok, failure) -> failure == null ? delivered(d) : failed(d, failure))
                .subscribe().with(ignored -> {
                }, e -> LOG.warnf("could not record the outcome of delivery %d (%s); it is retried after its lease",
                        d.id(), secrets.scrub(e.getMessage())));
    }

    private Uni<Void> delivered(Delivery d) {
        count(d, "delivered");
        LOG.infof("delivered %s %s to %s (attempt %d)", d.eventType(), d.eventId(), d.endpoint(), d.attempts() + 1);
        return repository.markDelivered(d.id());
    }

    private Uni<Void> failed(Delivery d, Throwable failure) {
        if (failure instanceof CircuitBreakerOpenException) {
            count(d, "deferred");
            return repository.defer(d.id(), config.circuitBreaker().delay(), "circuit open: endpoint failing, attempt postponed");
        }
        String reason = describe(failure);
        if (failure instanceof DeliveryFailure.Refused) {
            // Never sent, and never will be: a dead letter at once, without spending an attempt.
            count(d, "refused");
            LOG.warnf("dead letter: %s %s to %s not sent: %s", d.eventType(), d.eventId(), d.endpoint(), reason);
            return repository.markDead(d.id(), false, reason);
        }
        int attempts = d.attempts() + 1;
        boolean permanent = failure instanceof DeliveryFailure f && f.permanent();
        if (permanent || attempts >= d.maxAttempts()) {
            count(d, "dead");
            LOG.warnf("dead letter: %s %s to %s after %d attempt(s): %s", d.eventType(), d.eventId(), d.endpoint(), attempts, reason);
            return repository.markDead(d.id(), true, reason);
        }
        Duration delay = Backoff.delay(attempts, config.initialBackoff(), config.maxBackoff(), config.jitter(), random);
        count(d, "retry");
        LOG.infof("attempt %d of %s %s to %s failed (%s); next in %d ms", attempts, d.eventType(), d.eventId(),
                d.endpoint(), reason, delay.toMillis());
        return repository.markRetry(d.id(), delay, reason);
    }

    private String describe(Throwable failure) {
        if (failure instanceof TimeoutException) {
            return "no answer within " + Senders.fmt(config.timeout());
        }
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return secrets.scrub(message);
    }

    private void count(Delivery d, String outcome) {
        meters.counter("runway.notifier.deliveries", "channel", d.channel(), "outcome", outcome).increment();
    }
}

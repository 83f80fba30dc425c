package dev.runway.notifier.messaging;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;

import dev.runway.notifier.NotifierConfig;
import dev.runway.notifier.delivery.DeliveryRepository;
import dev.runway.notifier.delivery.DeliveryRepository.Enqueued;
import dev.runway.notifier.delivery.SecretValues;
import dev.runway.notifier.render.Renderer;
import dev.runway.notifier.routing.DeploymentStore;
import dev.runway.notifier.routing.Notice;
import dev.runway.notifier.routing.Notices;
import dev.runway.notifier.routing.Router;
import dev.runway.notifier.routing.Target;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * From event to durable deliveries, in one transaction: remember what the event says about its
 * deployment, decide who hears about it, redact it, render it per channel and write one delivery per endpoint.
 * When the returned {@link Uni} completes the work is in Postgres, so the Kafka offset may be committed;
 * sending happens later in the {@link dev.runway.notifier.delivery.Dispatcher}.
 */
@ApplicationScoped
public class NotificationIntake {

    private final Pool pool;
    private final DeploymentStore deployments;
    private final Router router;
    private final Renderer renderer;
    private final DeliveryRepository deliveries;
    private final NotifierConfig config;
    private final SecretValues secrets;

    public NotificationIntake(Pool pool, DeploymentStore deployments, Router router, Renderer renderer,
            DeliveryRepository deliveries, NotifierConfig config, SecretValues secrets) {
        this.pool = pool;
        this.deployments = deployments;
        this.router = router;
        this.renderer = renderer;
        this.deliveries = deliveries;
        this.config = config;
        this.secrets = secrets;
    }

    /** @return what happened per endpoint (empty when the rules announce nothing) */
    public Uni<List<Enqueued>> accept(SpecificRecord event) {
        return pool.withTransaction(conn -> deployments.apply(conn, event).flatMap(ctx -> {
            // Redacted once, here: every channel renders, stores and sends only this.
            Notice notice = Notices.of(event, ctx, config.deploymentLinkBase()).redacted(secrets::redact);
            List<Target> targets = router.targets(notice, ctx);
            if (targets.isEmpty()) {
                return Uni.createFrom().item(List.<Enqueued>of());
            }
            // One after another: a connection runs one statement at a time anyway.
            return Multi.createFrom().iterable(targets)
                    .onItem().transformToUniAndConcatenate(target -> deliveries.enqueue(conn, notice, target,
                            renderer.render(notice, target), config.delivery().maxAttempts(),
                            config.denoise().enabled() ? Optional.of(config.denoise().window()) : Optional.empty()))
                    .collect().asList();
        }));
    }
}

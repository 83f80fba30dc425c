package dev.runway.notifier.delivery;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;

import jakarta.enterprise.context.ApplicationScoped;

import dev.runway.notifier.NotifierConfig;
import dev.runway.notifier.routing.DeploymentStore;
import dev.runway.notifier.routing.Router;
import dev.runway.notifier.routing.Target;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * One attempt of one delivery: looks up the real address behind the endpoint (URLs and keys come
 * from configuration or the deployment's manifest, never from the delivery log) and sends the stored
 * payload. Everything is asynchronous, so a slow endpoint holds no thread.
 */
@ApplicationScoped
public class Senders {

    private final NotifierConfig config;
    private final Router router;
    private final DeploymentStore deployments;
    private final Pool pool;
    private final ReactiveMailer mailer;
    private final SecretValues secrets;
    private final HttpClient http;

    public Senders(NotifierConfig config, Router router, DeploymentStore deployments, Pool pool, ReactiveMailer mailer,
            SecretValues secrets) {
        this.config = config;
        this.router = router;
        this.deployments = deployments;
        this.pool = pool;
        this.mailer = mailer;
        this.secrets = secrets;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.delivery().timeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public Uni<Void> send(Delivery d) {
        String address = d.endpoint().substring(d.endpoint().indexOf(':') + 1);
        return switch (d.channel()) {
            case "SLACK" -> router.slackUrl(address)
                    .map(url -> post(url, d.payload(), null, d))
                    .orElseGet(() -> Uni.createFrom().failure(new DeliveryFailure.Permanent("no Slack webhook configured for " + address)));
            case "EMAIL" -> mailer.send(Mail.withText(address, d.subject(), d.payload()))
                    .onFailure().transform(e -> new DeliveryFailure("SMTP: " + secrets.scrub(String.valueOf(e.getMessage())), false));
            case "WEBHOOK" -> webhook(d, address);
            default -> Uni.createFrom().failure(new DeliveryFailure.Permanent("unknown channel " + d.channel()));
        };
    }

    private Uni<Void> webhook(Delivery d, String address) {
        NotifierConfig.Webhook configured = config.webhooks().get(address);
        if (configured != null) {
            return post(configured.url(), d.payload(), configured.secret(), d);
        }
        String secret = config.manifestWebhooks().secret().orElse(null);
        if (secret == null) {
            return Uni.createFrom().failure(new DeliveryFailure.Permanent("manifest webhooks are not enabled (no signing secret)"));
        }
        return deployments.manifestWebhooks(pool, d.deploymentId()).flatMap(urls -> urls.stream()
                .filter(url -> Target.manifestWebhook(url).endpoint().equals(d.endpoint()))
                .findFirst()
                .map(url -> post(url, d.payload(), secret, d))
                .orElseGet(() -> Uni.createFrom().failure(new DeliveryFailure.Permanent("webhook no longer listed for the deployment"))));
    }

    private Uni<Void> post(String url, String body, String signingSecret, Delivery d) {
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(config.delivery().timeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "runway-notifier");
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(new DeliveryFailure.Permanent("invalid URL"));
        }
        if (signingSecret != null) {
            // Signed per attempt: a retry carries a fresh timestamp, the receiver's replay window stays small.
            long timestamp = System.currentTimeMillis() / 1000;
            request.header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                    .header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(signingSecret, timestamp, body))
                    .header(WebhookSignature.EVENT_ID_HEADER, d.eventId())
                    .header(WebhookSignature.EVENT_TYPE_HEADER, d.eventType())
                    .header(WebhookSignature.DELIVERY_HEADER, Long.toString(d.id()));
        }
        HttpRequest built = request.POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return Uni.createFrom().completionStage(() -> http.sendAsync(built, HttpResponse.BodyHandlers.ofString()))
                .onFailure().transform(this::connectionFailure)
                .map(response -> {
                    int status = response.statusCode();
                    if (status / 100 == 2) {
                        return null;
                    }
                    String detail = "HTTP " + status + answer(response.body());
                    if (status == 408 || status == 429 || status >= 500) {
                        throw new DeliveryFailure(detail, false);
                    }
                    throw new DeliveryFailure.Permanent(detail + " (not retried)");
                })
                .replaceWithVoid();
    }

    private String answer(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String text = body.strip().replaceAll("\\s+", " ");
        return ": " + secrets.scrub(text.length() > 200 ? text.substring(0, 200) + "…" : text);
    }

    private Throwable connectionFailure(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof DeliveryFailure) {
            return cause;
        }
        if (cause instanceof HttpTimeoutException) {
            return new DeliveryFailure("no answer within " + fmt(config.delivery().timeout()), false);
        }
        String kind = cause instanceof IOException ? "connection failed" : "request failed";
        return new DeliveryFailure(kind + ": " + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : " " + secrets.scrub(cause.getMessage())), false);
    }

    static String fmt(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}

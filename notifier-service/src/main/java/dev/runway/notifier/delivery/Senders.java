package dev.runway.notifier.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import dev.runway.notifier.NotifierConfig;
import dev.runway.notifier.routing.DeploymentStore;
import dev.runway.notifier.routing.Router;
import dev.runway.notifier.routing.Target;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * One attempt of one delivery: looks up the real address behind the endpoint (URLs and keys come
 * from configuration or the deployment's manifest, never from the delivery log) and sends the stored
 * payload. HTTP targets go through {@link OutboundTargets} first: a target the outbound allowlist refuses is
 * never called, and an allowed one is called at the address that was checked. Everything is asynchronous,
 * so a slow endpoint holds no thread.
 */
@ApplicationScoped
public class Senders {

    /** Of an answer, only this much is read: enough for a receiver's error message, never a whole document. */
    static final int MAX_ANSWER_BYTES = 4096;

    private final NotifierConfig config;
    private final Router router;
    private final DeploymentStore deployments;
    private final Pool pool;
    private final ReactiveMailer mailer;
    private final SecretValues secrets;
    private final OutboundTargets outbound;
    private final HttpClient http;

    public Senders(NotifierConfig config, Router router, DeploymentStore deployments, Pool pool, ReactiveMailer mailer,
            SecretValues secrets, OutboundTargets outbound, Vertx vertx) {
        this.config = config;
        this.router = router;
        this.deployments = deployments;
        this.pool = pool;
        this.mailer = mailer;
        this.secrets = secrets;
        this.outbound = outbound;
        // Redirects are not followed (the default): a 3xx answer could point anywhere, past the allowlist.
        // Connections per target are not capped below the dispatcher's batch: one hanging endpoint must not queue
        // the deliveries of another path on the same host behind it.
        this.http = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.delivery().timeout().toMillis())
                .setVerifyHost(true),
                new PoolOptions().setHttp1MaxSize(Math.max(config.delivery().batchSize(), 1)));
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
        return outbound.destination(url).flatMap(to -> {
            RequestOptions request = new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setHost(to.host()).setPort(to.port()).setSsl(to.https()).setURI(to.requestUri())
                    // Connect to the address that was checked, not to whatever the name resolves to next.
                    .setServer(SocketAddress.inetSocketAddress(to.port(), to.address().getHostAddress()))
                    .setConnectTimeout(config.delivery().timeout().toMillis())
                    .setIdleTimeout(config.delivery().timeout().toMillis())
                    .putHeader("Content-Type", "application/json")
                    .putHeader("User-Agent", "runway-notifier");
            if (signingSecret != null) {
                // Signed per attempt: a retry carries a fresh timestamp, the receiver's replay window stays small.
                long timestamp = System.currentTimeMillis() / 1000;
                request.putHeader(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                        .putHeader(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(signingSecret, timestamp, body))
                        .putHeader(WebhookSignature.EVENT_ID_HEADER, d.eventId())
                        .putHeader(WebhookSignature.EVENT_TYPE_HEADER, d.eventType())
                        .putHeader(WebhookSignature.DELIVERY_HEADER, Long.toString(d.id()));
            }
            AtomicReference<HttpClientRequest> inFlight = new AtomicReference<>();
            return Uni.createFrom().completionStage(() -> http.request(request)
                            .compose(r -> {
                                inFlight.set(r);
                                return r.send(Buffer.buffer(body));
                            })
                            .compose(Senders::answer)
                            .toCompletionStage())
                    // The attempt's timeout gave up on it: stop the request rather than let it run on.
                    .onCancellation().invoke(() -> {
                        HttpClientRequest r = inFlight.get();
                        if (r != null) {
                            r.reset();
                        }
                    });
        })
                .onFailure().transform(this::connectionFailure)
                .map(answer -> {
                    int status = answer.status();
                    if (status / 100 == 2) {
                        return null;
                    }
                    String detail = "HTTP " + status + shown(answer.text());
                    if (status == 408 || status == 429 || status >= 500) {
                        throw new DeliveryFailure(detail, false);
                    }
                    throw new DeliveryFailure.Permanent(detail + " (not retried)");
                })
                .replaceWithVoid();
    }

    /** Status and the first {@value #MAX_ANSWER_BYTES} bytes of the body; the rest is not read. */
    record Answer(int status, String text) {
    }

    private static Future<Answer> answer(HttpClientResponse response) {
        Promise<Answer> done = Promise.promise();
        Buffer head = Buffer.buffer();
        response.exceptionHandler(done::tryFail);
        response.handler(chunk -> {
            int room = MAX_ANSWER_BYTES - head.length();
            if (room > 0) {
                head.appendBuffer(chunk, 0, Math.min(room, chunk.length()));
            }
            if (head.length() >= MAX_ANSWER_BYTES && done.tryComplete(new Answer(response.statusCode(), head.toString(StandardCharsets.UTF_8)))) {
                // Enough to say what happened; a receiver streaming a large answer is cut off.
                response.request().reset();
            }
        });
        response.endHandler(ignored -> done.tryComplete(new Answer(response.statusCode(), head.toString(StandardCharsets.UTF_8))));
        return done.future();
    }

    /** A receiver's answer as stored and logged: short, one line, redacted. */
    private String shown(String body) {
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
        String message = cause.getMessage() == null ? "" : cause.getMessage();
        String lower = message.toLowerCase(Locale.ROOT);
        // Vert.x reports its idle and connect timeouts as exceptions of internal or Netty types, named in the message.
        if (lower.contains("timeout") || lower.contains("timed out")) {
            return new DeliveryFailure("no answer within " + fmt(config.delivery().timeout()), false);
        }
        return new DeliveryFailure("connection failed: " + cause.getClass().getSimpleName()
                + (message.isEmpty() ? "" : " " + secrets.scrub(message)), false);
    }

    static String fmt(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}

package dev.runway.healthwatcher.sources;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.runway.healthwatcher.config.WatcherConfig;
import dev.runway.healthwatcher.metrics.WatcherMetrics;
import dev.runway.healthwatcher.outbound.OutboundPolicy;
import dev.runway.healthwatcher.outbound.OutboundTarget;
import io.quarkus.runtime.Startup;
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

/**
 * Every GET the watcher makes. A StartWatch URL is resolved, its addresses are checked against the
 * {@link OutboundPolicy}, and the request is sent to the first allowed one (Host header and TLS name stay the URL's),
 * so a name cannot resolve to something else between the check and the connection (DNS rebinding).
 * An answer is read up to {@code runway.health.outbound.max-response-bytes} and cut off beyond; the whole request
 * has {@code runway.health.request-timeout}. Redirects are not followed. Created at start-up, so a malformed
 * allowlist stops the service instead of refusing every watch later.
 */
@Startup
@ApplicationScoped
public class OutboundHttp {

    static final String ALLOW_SETTING = "runway.health.outbound.allow";

    /** The target's address is not allowed: never connected to. */
    public static final class RefusedTarget extends RuntimeException {
        RefusedTarget(String message) {
            super("refused: " + message, null, false, false);
        }
    }

    /** The answer was longer than the cap: the connection was closed at the cap. */
    public static final class ResponseTooLarge extends RuntimeException {
        ResponseTooLarge(String message) {
            super(message, null, false, false);
        }
    }

    /** A whole answer (body empty when it was not kept). */
    public record Answer(int status, Buffer body) {
    }

    private static final Pattern DOTTED_QUAD = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    private final Vertx vertx;
    private final OutboundPolicy policy;
    private final WatcherMetrics metrics;
    private final HttpClient client;
    private final long timeoutMs;
    private final long maxBytes;

    public OutboundHttp(Vertx vertx, WatcherConfig config, WatcherMetrics metrics) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.policy = OutboundPolicy.of(config.outbound().allow().orElse(List.of()), ALLOW_SETTING);
        this.timeoutMs = config.requestTimeout().toMillis();
        this.maxBytes = config.outbound().maxResponseBytes().asLongValue();
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) timeoutMs).setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(64));
    }

    /**
     * Whether a StartWatch URL may be watched, before anything is fetched: fails with {@link RefusedTarget} when it
     * resolves to an address that is not allowed (IllegalArgumentException when it is no watch URL at all). A name that does not resolve now is let through; every request
     * checks again.
     */
    public Future<Void> admit(String url) {
        OutboundTarget target;
        try {
            target = OutboundTarget.parse(url);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        return check(target).<Void>mapEmpty().recover(f -> f instanceof RefusedTarget ? Future.failedFuture(f) : Future.succeededFuture());
    }

    /**
     * GET a StartWatch URL (scrape, probe): {@code source} labels runway_health_outbound_blocked_total; {@code keepBody}
     * false reads and drops the body (a probe needs the status only, but the cap still applies).
     */
    public Future<Answer> get(String source, String url, String accept, boolean keepBody) {
        OutboundTarget target;
        try {
            target = OutboundTarget.parse(url);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        return check(target).compose(address -> send(target, address, accept, keepBody)).onFailure(f -> blocked(source, f));
    }

    /**
     * GET a URL of the operator's configuration (the Prometheus servers): not checked against the allowlist, as the
     * operator named it, but capped and timed like the rest.
     */
    public Future<Answer> getConfigured(String source, String url, String accept) {
        OutboundTarget target;
        try {
            target = OutboundTarget.parse(url);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        return send(target, null, accept, true).onFailure(f -> blocked(source, f));
    }

    private void blocked(String source, Throwable failure) {
        if (failure instanceof RefusedTarget) {
            metrics.outboundBlocked(source, "refused");
        } else if (failure instanceof ResponseTooLarge) {
            metrics.outboundBlocked(source, "too-large");
        }
    }

    /**
     * The address to connect to: the first one the host resolves to that the policy allows (the others are never
     * contacted); refused when there is none, with the reason of each.
     */
    Future<InetAddress> check(OutboundTarget target) {
        return resolve(target.host()).compose(addresses -> {
            List<String> refusals = new ArrayList<>();
            for (InetAddress address : addresses) {
                String why = policy.refusal(target.host(), target.port(), address);
                if (why == null) {
                    return Future.succeededFuture(address);
                }
                refusals.add(why);
            }
            return Future.failedFuture(new RefusedTarget(String.join("; ", refusals)));
        });
    }

    /** IP literals are parsed here; names are looked up off the event loop (the JDK resolver blocks and caches). */
    private Future<InetAddress[]> resolve(String host) {
        if (DOTTED_QUAD.matcher(host).matches() || host.contains(":")) {
            try {
                return Future.succeededFuture(InetAddress.getAllByName(host));
            } catch (UnknownHostException e) {
                return Future.failedFuture(e);
            }
        }
        return vertx.executeBlocking(() -> InetAddress.getAllByName(host), false);
    }

    private Future<Answer> send(OutboundTarget target, InetAddress address, String accept, boolean keepBody) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(target.host()).setPort(target.port())
                .setSsl(target.https()).setURI(target.requestUri()).setFollowRedirects(false).setConnectTimeout(timeoutMs)
                .putHeader("User-Agent", "runway-health-watcher");
        if (accept != null) {
            options.putHeader("Accept", accept);
        }
        if (address != null) {
            options.setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(address, target.port())));
        }
        Promise<Answer> answer = Promise.promise();
        long timer = vertx.setTimer(timeoutMs, id -> answer.tryFail("no complete answer within " + timeoutMs + " ms"));
        client.request(options).onComplete(created -> {
            if (created.failed()) {
                answer.tryFail(created.cause());
                return;
            }
            HttpClientRequest request = created.result();
            // Past the deadline or the cap the connection is closed: nothing more is read.
            answer.future().onFailure(x -> request.reset());
            request.send().onComplete(sent -> {
                if (sent.failed()) {
                    answer.tryFail(sent.cause());
                } else {
                    read(sent.result(), keepBody, answer);
                }
            });
        });
        return answer.future().onComplete(x -> vertx.cancelTimer(timer));
    }

    private void read(HttpClientResponse response, boolean keepBody, Promise<Answer> answer) {
        // Set first: closing the connection at the cap makes the response report a reset, which is expected here.
        response.exceptionHandler(answer::tryFail);
        String declared = response.getHeader("Content-Length");
        if (declared != null && declared.matches("\\d{1,18}") && Long.parseLong(declared) > maxBytes) {
            answer.tryFail(new ResponseTooLarge("response of " + declared + " bytes is over " + limit() + ", not read"));
            return;
        }
        Buffer body = Buffer.buffer();
        long[] read = { 0 };
        response.handler(chunk -> {
            read[0] += chunk.length();
            if (read[0] > maxBytes) {
                answer.tryFail(new ResponseTooLarge("response over " + limit() + ", cut off"));
            } else if (keepBody) {
                body.appendBuffer(chunk);
            }
        });
        response.endHandler(x -> answer.tryComplete(new Answer(response.statusCode(), body)));
    }

    private String limit() {
        return (maxBytes % (1024 * 1024) == 0 ? maxBytes / (1024 * 1024) + " MiB" : maxBytes + " bytes")
                + " (runway.health.outbound.max-response-bytes)";
    }

    @PreDestroy
    void close() {
        client.close();
    }
}

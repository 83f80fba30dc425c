package dev.runway.notifier.delivery;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import dev.runway.notifier.NotifierConfig;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Where an HTTP delivery may go. The URL's host is resolved here, every address it resolves to is checked
 * against {@link OutboundAllowlist}, and the request is then sent to the checked address (with the URL's host
 * name as Host header and TLS name): a DNS answer that changes between the check and the connection
 * (rebinding) cannot move the request to an internal address.
 */
@ApplicationScoped
@Startup // an allowlist entry that cannot be read stops the notifier at start, not at the first delivery
public class OutboundTargets {

    /** Where to connect and what to ask for. {@code address} is the checked address the connection goes to. */
    public record Destination(String host, int port, boolean https, String requestUri, InetAddress address) {
    }

    private final OutboundAllowlist allowlist;

    public OutboundTargets(NotifierConfig config) {
        this.allowlist = OutboundAllowlist.of(config.outbound().allow().orElse(List.of()));
    }

    /**
     * The checked destination of {@code url}. Fails with a {@link DeliveryFailure.Refused} when the URL is not
     * an http(s) URL or a resolved address is not allowed (retrying cannot change that), with a retryable
     * {@link DeliveryFailure} when the name does not resolve now. Resolution blocks, so it runs on a worker thread.
     */
    public Uni<Destination> destination(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(new DeliveryFailure.Refused("invalid URL, not called"));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Uni.createFrom().failure(new DeliveryFailure.Refused("refused, not called: only http and https URLs are called"));
        }
        if (uri.getHost() == null) {
            return Uni.createFrom().failure(new DeliveryFailure.Refused("invalid URL (no host), not called"));
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        boolean https = scheme.equals("https");
        int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
        String requestUri = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return Uni.createFrom().item(() -> check(host, port, https, requestUri, resolve(host)))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    Destination check(String host, int port, boolean https, String requestUri, List<InetAddress> addresses) {
        allowlist.refusal(host, port, addresses).ifPresent(reason -> {
            throw new DeliveryFailure.Refused("refused, not called: " + reason);
        });
        return new Destination(host, port, https, requestUri, addresses.get(0));
    }

    private static List<InetAddress> resolve(String host) {
        try {
            return Arrays.asList(InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
            // May be a passing DNS failure: retried like a connection failure.
            throw new DeliveryFailure("host " + host + " not found", false);
        }
    }
}

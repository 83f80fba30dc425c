package dev.runway.healthwatcher.outbound;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A watch URL taken apart once, by one parser: the host that is resolved and checked is the host the
 * request goes to. Only http(s), a host, and no user info (credentials would travel on in the evidence,
 * and {@code http://ok-host@other-host/} hides the real host from a reader).
 */
public record OutboundTarget(String url, boolean https, String host, int port, String requestUri) {

    /** Takes {@code url} apart; IllegalArgumentException with the reason when it is not a URL the watcher fetches. */
    public static OutboundTarget parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("not an http(s) URL: " + url);
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("user info in a watch URL is refused: " + uri.getHost());
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("no host in " + url);
        }
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        boolean https = "https".equals(scheme);
        int port = uri.getPort() == -1 ? (https ? 443 : 80) : uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return new OutboundTarget(url, https, host, port, uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery());
    }
}

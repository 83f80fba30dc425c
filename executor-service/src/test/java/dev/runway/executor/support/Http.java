package dev.runway.executor.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** Real HTTP requests against the slots and Runway's nginx. */
public final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Http() {
    }

    /** The X-Release-Version of one GET, or null when nothing answers. */
    public static String version(int port) {
        return version(CLIENT, port);
    }

    static String version(HttpClient client, int port) {
        try {
            HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            return r.headers().firstValue("X-Release-Version").orElse("status " + r.statusCode());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** How many of {@code n} requests each version answered. */
    public static Map<String, Integer> split(int port, int n) {
        Map<String, Integer> counts = new TreeMap<>();
        // A client of its own: no keep-alive connection opened before the last change is reused.
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (int i = 0; i < n; i++) {
            counts.merge(String.valueOf(version(client, port)), 1, Integer::sum);
        }
        return counts;
    }
}

package dev.runway.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The few Apicurio Registry v3 calls tests need, over plain HTTP. */
public final class RegistryClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String api;

    private RegistryClient(String api) {
        this.api = api;
    }

    public static RegistryClient of(Backbone backbone) {
        return new RegistryClient(backbone.registryApiV3());
    }

    /** Global BACKWARD compatibility, as `./runway stack up` sets it; idempotent. */
    public void ensureGlobalBackwardRule() {
        HttpResponse<String> current = call("GET", "/admin/rules/COMPATIBILITY", null);
        if (current.statusCode() == 200 && current.body().contains("\"BACKWARD\"")) {
            return;
        }
        String body = "{\"ruleType\":\"COMPATIBILITY\",\"config\":\"BACKWARD\"}";
        HttpResponse<String> response = current.statusCode() == 404
                ? call("POST", "/admin/rules", body)
                : call("PUT", "/admin/rules/COMPATIBILITY", body);
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("could not set the global BACKWARD rule: " + response.statusCode() + " " + response.body());
        }
    }

    /** The global compatibility rule's config, or null when none is set. */
    public String globalCompatibility() {
        HttpResponse<String> response = call("GET", "/admin/rules/COMPATIBILITY", null);
        if (response.statusCode() == 404) {
            return null;
        }
        try {
            return JSON.readTree(response.body()).path("config").asText();
        } catch (IOException e) {
            throw new IllegalStateException(response.body(), e);
        }
    }

    /**
     * Registers {@code schema} as a version of artifact {@code groupId/artifactId}, creating the
     * artifact when absent. Returns the HTTP status (2xx registered, 409/400 rejected by a rule).
     */
    public HttpResponse<String> registerAvro(String groupId, String artifactId, String schema) {
        try {
            String content = JSON.writeValueAsString(Map.of("content", schema, "contentType", "application/json"));
            HttpResponse<String> existing = call("GET", "/groups/" + groupId + "/artifacts/" + artifactId, null);
            if (existing.statusCode() == 404) {
                String body = "{\"artifactId\":" + JSON.writeValueAsString(artifactId)
                        + ",\"artifactType\":\"AVRO\",\"firstVersion\":{\"content\":" + content + "}}";
                return call("POST", "/groups/" + groupId + "/artifacts", body);
            }
            return call("POST", "/groups/" + groupId + "/artifacts/" + artifactId + "/versions", "{\"content\":" + content + "}");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> get(String path) {
        return call("GET", path, null);
    }

    private HttpResponse<String> call(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path))
                .timeout(Duration.ofSeconds(15))
                .header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + api + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

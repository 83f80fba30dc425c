package dev.runway.cli.api;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The orchestrator's REST API over java.net.http: JSON in and out, the bearer token on every
 * request (never in a message), 4xx/5xx turned into {@link ApiException} with the problem+json.
 */
public final class ApiClient {

    /** A successful answer: its status, body and the headers the CLI uses. */
    public record Response(int status, String body, Optional<String> location, boolean replayed) {

        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body.isEmpty() ? "null" : body);
            } catch (JsonProcessingException e) {
                throw new UnreachableException("the orchestrator answered something that is not JSON");
            }
        }

        public <T> T as(Class<T> type) {
            try {
                return Json.MAPPER.treeToValue(json(), type);
            } catch (JsonProcessingException e) {
                throw new UnreachableException("unexpected answer from the orchestrator: " + e.getOriginalMessage());
            }
        }
    }

    private final URI base;
    private final String token;
    private final HttpClient http;

    public ApiClient(URI base, String token) {
        this.base = base;
        this.token = token == null || token.isBlank() ? null : token.trim();
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public URI base() {
        return base;
    }

    /** {@code path} resolved against the API's base URL (for display). */
    public String absolute(String path) {
        return base.resolve(path).toString();
    }

    /** A value as one URL path segment: project names come from users and manifests. */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public Response get(String path) {
        return send(builder(path).GET().build());
    }

    public Response post(String path, JsonNode body, Map<String, String> headers) {
        String json;
        try {
            json = Json.MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest.Builder b = builder(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        headers.forEach(b::header);
        return send(b.build());
    }

    private HttpRequest.Builder builder(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json, application/problem+json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private Response send(HttpRequest request) {
        HttpResponse<String> answer;
        try {
            answer = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            String why = e instanceof HttpConnectTimeoutException ? "connection timed out"
                    : e instanceof HttpTimeoutException ? "no answer within 30 s"
                    : e instanceof ConnectException ? "connection refused"
                    : e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
            throw new UnreachableException("cannot reach the orchestrator at " + base + " (" + why + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted while talking to the orchestrator");
        }
        int status = answer.statusCode();
        if (status >= 400) {
            throw error(status, answer.body());
        }
        return new Response(status, answer.body() == null ? "" : answer.body(), answer.headers().firstValue("Location"),
                answer.headers().firstValue("Idempotent-Replayed").map("true"::equalsIgnoreCase).orElse(false));
    }

    /** An error answer as an exception: its problem+json when the body is one, else a short excerpt. */
    public static ApiException error(int status, String body) {
        Views.Problem problem = null;
        if (body != null && !body.isBlank()) {
            try {
                JsonNode node = Json.MAPPER.readTree(body);
                if (node != null && node.isObject() && (node.has("title") || node.has("detail"))) {
                    problem = Json.MAPPER.treeToValue(node, Views.Problem.class);
                }
            } catch (JsonProcessingException e) {
                // not JSON: described by the excerpt below
            }
        }
        String excerpt = body == null ? "" : body.strip();
        if (excerpt.length() > 200) {
            excerpt = excerpt.substring(0, 200) + "…";
        }
        return new ApiException(status, problem, excerpt.isEmpty() ? null : excerpt);
    }
}

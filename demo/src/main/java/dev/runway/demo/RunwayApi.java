package dev.runway.demo;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the demo reads without printing it, straight from the APIs (no CLI JVM per look): a deployment's state and
 * steps, a project environment's front, the health-watcher's decisions.
 */
final class RunwayApi {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String orchestrator;
    private final String token;

    RunwayApi(String orchestrator, String token) {
        this.orchestrator = orchestrator;
        this.token = token;
    }

    JsonNode deployment(String id) throws IOException, InterruptedException {
        return get(orchestrator + "/deployments/" + id);
    }

    /** The deployment's state, or "?" when it cannot be read (the outcome table shows it rather than failing). */
    String state(String id) {
        try {
            return deployment(id).path("state").asText("?");
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    /** Whether the step ran forward to completion: {@code deploy-green} means the release is in its slot. */
    boolean completed(String id, String step) throws IOException, InterruptedException {
        for (JsonNode s : deployment(id).path("steps")) {
            if (step.equals(s.path("name").asText()) && "FORWARD".equals(s.path("kind").asText())
                    && "COMPLETED".equals(s.path("status").asText())) {
                return true;
            }
        }
        return false;
    }

    /** Where the project environment's users reach it, as the orchestrator reports it. */
    Optional<String> front(String project, String environment) throws IOException, InterruptedException {
        JsonNode view = get(orchestrator + "/projects/" + URLEncoder.encode(project, StandardCharsets.UTF_8) + "/environments/"
                + environment);
        for (JsonNode live : view.path("live")) {
            String front = live.path("front").asText("");
            if (front.startsWith("http")) {
                return Optional.of(front);
            }
        }
        return Optional.empty();
    }

    /** A JSON answer of any Runway service, under the demo user's token. */
    JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token).header("Accept", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return RunwayCli.JSON.readTree(r.body());
    }

    /** What a front answers (a release's status line), or "(no answer)" for an error or none, as {@code curl -f} saw it. */
    String answer(String url) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() >= 400 ? "(no answer)" : r.body().stripTrailing();
        } catch (IOException e) {
            return "(no answer)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(no answer)";
        }
    }
}

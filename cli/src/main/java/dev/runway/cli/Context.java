package dev.runway.cli;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import dev.runway.cli.api.ApiClient;
import dev.runway.cli.api.Json;
import dev.runway.cli.api.Views;
import dev.runway.cli.console.Console;
import dev.runway.cli.deploy.Durations;
import dev.runway.cli.timeline.Follower;
import dev.runway.cli.timeline.Timeline;

/** What commands share: the console, the root command's options, and how to reach the API. */
public final class Context {

    public static final String DEFAULT_URL = "http://127.0.0.1:8080";

    /** The options in effect for one command: its own, else those given before its name, else the environment. */
    public record Settings(URI url, String token, boolean json, Duration poll) {
    }

    private final Console console;
    private final GlobalOptions root = new GlobalOptions();
    private final Clock clock;

    public Context(Console console, Clock clock) {
        this.console = console;
        this.clock = clock;
    }

    public Console console() {
        return console;
    }

    public Clock clock() {
        return clock;
    }

    GlobalOptions rootOptions() {
        return root;
    }

    public Settings settings(GlobalOptions own) {
        String url = first(own.url, root.url, console.env().get("RUNWAY_URL"), DEFAULT_URL);
        String token = first(own.token, root.token, console.env().get("RUNWAY_TOKEN"), null);
        String output = first(own.output, root.output, console.env().get("RUNWAY_OUTPUT"), "text").toLowerCase(Locale.ROOT);
        if (!output.equals("text") && !output.equals("json")) {
            throw new UsageException("--output must be text or json, not '" + output + "'");
        }
        if (own.noColor || root.noColor) {
            console.disableColor();
        }
        URI uri;
        try {
            uri = URI.create(url.endsWith("/") ? url : url + "/");
        } catch (IllegalArgumentException e) {
            throw new UsageException("--url '" + url + "' is not a URL");
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
            throw new UsageException("--url '" + url + "' is not an http(s) URL");
        }
        Duration poll = Durations.parse(first(own.pollInterval, root.pollInterval, null, "500ms"));
        return new Settings(uri, token, output.equals("json"), poll);
    }

    /** --no-color given before the command's name (for commands without the global options). */
    public void applyRootColor() {
        if (root.noColor) {
            console.disableColor();
        }
    }

    public ApiClient api(Settings s) {
        return new ApiClient(s.url(), s.token());
    }

    public Timeline timeline() {
        return new Timeline(console.style(), ZoneId.systemDefault());
    }

    public Follower follower(Settings s, ApiClient api, String id) {
        Follower.Source source = () -> {
            ApiClient.Response r = api.get("deployments/" + id);
            return new Follower.Snapshot(r.as(Views.Deployment.class), r.json());
        };
        return new Follower(source, timeline(), console.out(), console.err(), console.tty(), s.json(), clock,
                d -> Thread.sleep(d.toMillis()), s.poll(), Duration.ofSeconds(10), Duration.ofSeconds(30))
                .lockHolder(d -> {
                    // The lock is the project environment's: other projects on the same environment never hold it.
                    try {
                        String path = "projects/" + ApiClient.segment(d.project()) + "/environments/"
                                + d.environment().toLowerCase(Locale.ROOT);
                        JsonNode lock = api.get(path).json().path("lock");
                        return !lock.isObject() ? Optional.empty()
                                : Optional.of("deployment " + lock.path("deploymentId").asText() + " (fencing token "
                                        + lock.path("fencingToken").asText() + ")");
                    } catch (RuntimeException e) {
                        return Optional.empty();
                    }
                });
    }

    /**
     * After the API accepted a request for deployment {@code id}: without {@code follow}, its JSON answer (in json
     * mode) and null; with it, the timeline until the deployment ends (or {@code limit}), then its last view.
     */
    public Follower.Result acceptedOrFollowed(Settings s, ApiClient api, String id, JsonNode accepted, boolean follow,
            Duration limit) throws InterruptedException {
        if (!follow) {
            if (s.json()) {
                printJson(accepted);
            }
            return null;
        }
        Follower.Result result = follower(s, api, id).follow(limit);
        if (s.json() && result.last() != null) {
            printJson(result.last().json());
        }
        return result;
    }

    /** Prints the API's JSON as it came (pretty-printed). */
    public void printJson(JsonNode json) {
        try {
            console.out().println(Json.MAPPER.writeValueAsString(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String first(String a, String b, String c, String fallback) {
        for (String v : new String[] { a, b, c }) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return fallback;
    }
}

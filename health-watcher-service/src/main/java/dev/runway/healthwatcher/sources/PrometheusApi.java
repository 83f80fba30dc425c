package dev.runway.healthwatcher.sources;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.runway.healthwatcher.rules.Point;
import io.vertx.core.Future;

/**
 * The Prometheus HTTP API ({@code /api/v1/query}, {@code /api/v1/query_range}). A query that returns
 * nothing, "NaN", or fails is no data (NaN), never zero. Several series in one answer: the highest
 * value counts (the query should aggregate; if it does not, the worst series decides).
 */
@ApplicationScoped
public class PrometheusApi {

    private final OutboundHttp http;
    private final ObjectMapper json;

    public PrometheusApi(OutboundHttp http, ObjectMapper json) {
        this.http = http;
        this.json = json;
    }

    /** Instant query at {@code time}. */
    public Future<Double> instant(String baseUrl, String query, Instant time) {
        String url = strip(baseUrl) + "/api/v1/query?query=" + enc(query) + "&time=" + seconds(time);
        return call(url).map(data -> {
            String type = data.path("resultType").asText();
            if ("scalar".equals(type)) {
                return value(data.path("result").path(1));
            }
            double max = Double.NaN;
            for (JsonNode series : data.path("result")) {
                double v = value(series.path("value").path(1));
                if (!Double.isNaN(v) && (Double.isNaN(max) || v > max)) {
                    max = v;
                }
            }
            return max;
        });
    }

    /** Range query; one point per step (highest value across series at that step). */
    public Future<List<Point>> range(String baseUrl, String query, Instant start, Instant end, Duration step) {
        String url = strip(baseUrl) + "/api/v1/query_range?query=" + enc(query) + "&start=" + seconds(start) + "&end=" + seconds(end)
                + "&step=" + String.format(Locale.ROOT, "%.3f", step.toMillis() / 1000.0);
        return call(url).map(data -> {
            TreeMap<Double, Double> byTime = new TreeMap<>();
            for (JsonNode series : data.path("result")) {
                for (JsonNode pair : series.path("values")) {
                    double v = value(pair.path(1));
                    byTime.merge(pair.path(0).asDouble(), v, (a, b) -> Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b));
                }
            }
            List<Point> points = new ArrayList<>();
            byTime.forEach((t, v) -> points.add(new Point(Instant.ofEpochMilli(Math.round(t * 1000)), v)));
            return points;
        });
    }

    private Future<JsonNode> call(String url) {
        // The server is the operator's configuration, not a StartWatch's: capped and timed, not allowlisted.
        return http.getConfigured("prometheus", url, "application/json").compose(response -> {
            JsonNode body;
            try {
                body = json.readTree(response.body().getBytes());
            } catch (Exception e) {
                body = null;
            }
            if (body == null || body.isMissingNode()) {
                return Future.failedFuture("Prometheus answered HTTP " + response.status() + " without JSON");
            }
            if (response.status() != 200 || !"success".equals(body.path("status").asText())) {
                return Future.failedFuture("Prometheus: HTTP " + response.status() + " " + body.path("errorType").asText() + " "
                        + body.path("error").asText());
            }
            return Future.succeededFuture(body.path("data"));
        });
    }

    private static double value(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return Double.NaN;
        }
        String text = node.asText();
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    private static String seconds(Instant t) {
        return String.format(Locale.ROOT, "%.3f", t.toEpochMilli() / 1000.0);
    }

    private static String strip(String base) {
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

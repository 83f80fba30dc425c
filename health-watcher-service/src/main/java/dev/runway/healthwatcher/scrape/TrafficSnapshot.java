package dev.runway.healthwatcher.scrape;

import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The cumulative request counters and latency histogram of one scrape, summed over all series (the
 * endpoint belongs to one version). Finds the first naming convention whose request counter is
 * present: e.g. {@code http_requests_total{code}} + {@code http_request_duration_seconds} (the demo
 * app, many exporters) or Micrometer's {@code http_server_requests_seconds_count{status}} +
 * {@code http_server_requests_seconds} (Quarkus, Spring).
 */
public record TrafficSnapshot(double requests, double errors, NavigableMap<Double, Double> buckets, String convention) {

    /** Names of one exposition convention. */
    public record Convention(String requestCounter, String statusLabel, String durationHistogram) {
        public static final List<Convention> DEFAULTS = List.of(
                new Convention("http_requests_total", "code", "http_request_duration_seconds"),
                new Convention("http_server_requests_seconds_count", "status", "http_server_requests_seconds"));
    }

    /** No request counter of any known convention on the page. */
    public static final class NoRequestCounterException extends RuntimeException {
        public NoRequestCounterException(String message) {
            super(message);
        }
    }

    public static TrafficSnapshot of(List<PrometheusTextParser.Sample> samples, List<Convention> conventions) {
        for (Convention c : conventions) {
            double requests = 0;
            double errors = 0;
            boolean found = false;
            NavigableMap<Double, Double> buckets = new TreeMap<>();
            String bucketName = c.durationHistogram() + "_bucket";
            for (PrometheusTextParser.Sample s : samples) {
                if (s.name().equals(c.requestCounter())) {
                    found = true;
                    requests += s.value();
                    String status = s.label(c.statusLabel());
                    if (status != null && status.startsWith("5")) {
                        errors += s.value();
                    }
                } else if (s.name().equals(bucketName) && s.label("le") != null) {
                    double le = parseLe(s.label("le"));
                    buckets.merge(le, s.value(), Double::sum);
                }
            }
            if (found) {
                return new TrafficSnapshot(requests, errors, buckets, c.requestCounter());
            }
        }
        throw new NoRequestCounterException("no request counter (" + conventions.stream().map(Convention::requestCounter).toList() + ")");
    }

    private static double parseLe(String le) {
        return switch (le) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            default -> Double.parseDouble(le);
        };
    }

    /** What happened between {@code previous} and this scrape. */
    public TrafficDelta since(TrafficSnapshot previous) {
        // A counter that went down means the process restarted: count from zero, as Prometheus' rate() does.
        boolean reset = previous == null || requests < previous.requests || errors < previous.errors;
        if (previous == null) {
            return new TrafficDelta(0, Double.NaN, Double.NaN, Double.NaN, "first scrape");
        }
        double dRequests = reset ? requests : requests - previous.requests;
        double dErrors = reset ? errors : errors - previous.errors;
        if (dRequests <= 0) {
            return new TrafficDelta(0, Double.NaN, Double.NaN, Double.NaN, "no traffic");
        }
        NavigableMap<Double, Double> dBuckets = new TreeMap<>();
        for (Map.Entry<Double, Double> e : buckets.entrySet()) {
            double before = reset ? 0 : previous.buckets.getOrDefault(e.getKey(), 0.0);
            dBuckets.put(e.getKey(), Math.max(0, e.getValue() - before));
        }
        return new TrafficDelta(dRequests, 100.0 * dErrors / dRequests, 1000 * quantile(0.95, dBuckets),
                1000 * quantile(0.99, dBuckets), null);
    }

    /**
     * {@code histogram_quantile} of Prometheus on cumulative bucket counts: find the bucket holding
     * rank q·count and interpolate linearly inside it (from 0 for the first bucket); a rank in the
     * +Inf bucket gives the highest finite bound. NaN without a +Inf bucket or without observations.
     */
    public static double quantile(double q, NavigableMap<Double, Double> cumulative) {
        Double total = cumulative.get(Double.POSITIVE_INFINITY);
        if (total == null || total <= 0 || cumulative.size() < 2) {
            return Double.NaN;
        }
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
            double count = e.getValue();
            if (count >= rank) {
                if (e.getKey() == Double.POSITIVE_INFINITY) {
                    return cumulative.lowerKey(Double.POSITIVE_INFINITY);
                }
                double inBucket = count - lowerCount;
                if (inBucket <= 0) {
                    return e.getKey();
                }
                return lowerBound + (e.getKey() - lowerBound) * (rank - lowerCount) / inBucket;
            }
            lowerBound = e.getKey();
            lowerCount = count;
        }
        return Double.NaN;
    }
}

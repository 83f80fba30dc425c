package dev.runway.healthwatcher.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.NavigableMap;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/** Error rate and quantiles from counter and histogram deltas between two scrapes. */
class TrafficSnapshotTest {

    static TrafficSnapshot page(long ok, long failed, long le01, long le05, long le1, long inf) {
        String text = "http_requests_total{code=\"200\"} " + ok + "\n"
                + "http_requests_total{code=\"500\"} " + failed + "\n"
                + "http_requests_total{code=\"404\"} 0\n"
                + "http_request_duration_seconds_bucket{le=\"0.1\"} " + le01 + "\n"
                + "http_request_duration_seconds_bucket{le=\"0.5\"} " + le05 + "\n"
                + "http_request_duration_seconds_bucket{le=\"1.0\"} " + le1 + "\n"
                + "http_request_duration_seconds_bucket{le=\"+Inf\"} " + inf + "\n"
                + "http_request_duration_seconds_count " + inf + "\n";
        return TrafficSnapshot.of(PrometheusTextParser.parse(text), TrafficSnapshot.Convention.DEFAULTS);
    }

    @Test
    void errorRateAndQuantilesComeFromTheDeltaNotTheTotals() {
        TrafficSnapshot before = page(1000, 0, 1000, 1000, 1000, 1000); // a long healthy past...
        TrafficSnapshot after = page(1070, 30, 1000, 1090, 1100, 1100); // ...then 100 requests, 30 failed, slower
        TrafficDelta d = after.since(before);
        assertEquals(100, d.requests());
        assertEquals(30.0, d.errorRatePercent(), 1e-9);
        // 100 new observations: 0 ≤ 0.1 s, 90 in (0.1, 0.5], 10 in (0.5, 1]. p95 = rank 95 → 0.5 + 0.5·5/10 = 0.75 s.
        assertEquals(750, d.p95Ms(), 1e-6);
        assertEquals(950, d.p99Ms(), 1e-6);
    }

    @Test
    void noTrafficOrFirstScrapeIsNoDataNotZero() {
        TrafficSnapshot a = page(10, 0, 10, 10, 10, 10);
        assertTrue(Double.isNaN(a.since(null).errorRatePercent()));
        TrafficDelta idle = page(10, 0, 10, 10, 10, 10).since(a);
        assertTrue(Double.isNaN(idle.errorRatePercent()));
        assertEquals("no traffic", idle.why());
    }

    @Test
    void aCounterResetCountsFromZeroLikeRate() {
        TrafficSnapshot before = page(5000, 100, 5100, 5100, 5100, 5100);
        TrafficSnapshot restarted = page(8, 2, 10, 10, 10, 10);
        assertEquals(20.0, restarted.since(before).errorRatePercent(), 1e-9);
    }

    @Test
    void quantileFollowsHistogramQuantileSemantics() {
        NavigableMap<Double, Double> b = new TreeMap<>();
        b.put(0.1, 50.0);
        b.put(0.2, 100.0);
        b.put(Double.POSITIVE_INFINITY, 100.0);
        assertEquals(0.1, TrafficSnapshot.quantile(0.5, b), 1e-9); // rank 50 is the top of the first bucket
        assertEquals(0.05, TrafficSnapshot.quantile(0.25, b), 1e-9);
        assertEquals(0.18, TrafficSnapshot.quantile(0.9, b), 1e-9);
        b.put(Double.POSITIVE_INFINITY, 200.0); // half above every finite bucket → the highest finite bound
        assertEquals(0.2, TrafficSnapshot.quantile(0.99, b), 1e-9);
        assertTrue(Double.isNaN(TrafficSnapshot.quantile(0.5, new TreeMap<>())));
    }

    @Test
    void micrometerNamesAreUnderstoodToo() {
        String text = "http_server_requests_seconds_count{method=\"GET\",status=\"200\",uri=\"/\"} 90\n"
                + "http_server_requests_seconds_count{method=\"GET\",status=\"503\",uri=\"/\"} 10\n";
        TrafficSnapshot s = TrafficSnapshot.of(PrometheusTextParser.parse(text), TrafficSnapshot.Convention.DEFAULTS);
        assertEquals(100, s.requests());
        assertEquals(10, s.errors());
        assertEquals("http_server_requests_seconds_count", s.convention());
    }

    @Test
    void aPageWithoutRequestCountersIsAnError() {
        assertThrows(TrafficSnapshot.NoRequestCounterException.class,
                () -> TrafficSnapshot.of(PrometheusTextParser.parse("jvm_memory_used_bytes 1\n"), TrafficSnapshot.Convention.DEFAULTS));
    }
}

package dev.runway.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class TrafficLogTest {

    static final long T0 = Instant.parse("2026-12-03T10:00:00Z").toEpochMilli();

    @Test
    void sharesOfEachReleaseAndErrorsOverTheLastSeconds() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            lines.add((T0 + i * 100) + " staging 200 1.1.0");
        }
        for (int i = 0; i < 10; i++) {
            lines.add((T0 + 1_000 + i * 100) + " staging " + (i % 2 == 0 ? 500 : 200) + " 1.2.0");
        }
        lines.add((T0 + 1_500) + " staging 0 -"); // no answer: an error, under release "-"
        lines.add((T0 + 1_500) + " nova-blog/staging 200 1.0.0");
        lines.add("a torn line");
        TrafficLog log = TrafficLog.parse(lines);

        assertEquals("1.1.0 47%, 1.2.0 47%, - 4% (21 requests, 28% errors)", log.since("staging", T0));
        assertEquals("1.2.0 90%, - 9% (11 requests, 54% errors)", log.since("staging", T0 + 1_000));
        assertEquals("1.0.0 100% (1 requests, 0% errors)", log.since("nova-blog/staging", T0));
        assertEquals("no traffic", log.since("production", T0));
    }

    @Test
    void theRollbackReportMeasuresFromTheBreachToTheLastBadAnswer() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            lines.add((T0 + i * 100) + " staging " + (i % 2 == 0 ? 500 : 200) + " 1.2.0");
        }
        for (int i = 0; i < 30; i++) {
            lines.add((T0 + 2_000 + i * 100) + " staging 200 1.1.0");
        }
        JsonNode decisions = RunwayCli.JSON.readTree("""
                {"items": [
                  {"kind": "RollbackDecided", "decidedAt": "2026-12-03T10:00:01.600Z"},
                  {"kind": "ThresholdBreached", "decidedAt": "2026-12-03T10:00:01.500Z", "metric": "error_rate",
                   "value": 0.4838709677419355, "threshold": 0.05, "step": "shift-traffic-10",
                   "samples": [{"at": "2026-12-03T10:00:01Z", "value": 0.5}]},
                  {"kind": "HealthCheckPassed", "decidedAt": "2026-12-03T09:59:00Z"}
                ], "page": 0, "size": 50, "total": 3}
                """);

        Optional<List<String>> report = TrafficLog.parse(lines).rollbackReport("staging", "1.2.0", "1.1.0", decisions);

        assertTrue(report.isPresent());
        List<String> r = report.get();
        assertEquals("  1.2.0 answered 20 requests, 10 of them with an error", r.get(0));
        assertTrue(r.get(1).matches("  breach decided   \\d\\d:\\d\\d:01\\.500  error_rate 0\\.4838709677419355 \\(threshold 0\\.05\\) at shift-traffic-10"),
                r.get(1));
        assertTrue(r.get(2).matches("  last 1\\.2\\.0 answer \\d\\d:\\d\\d:01\\.900  → traffic back on 1\\.1\\.0 0\\.4 s after the breach"), r.get(2));
        assertEquals("  since then       30 of 30 requests answered 200 by 1.1.0", r.get(3));
    }

    @Test
    void noBreachNoReport() throws Exception {
        JsonNode decisions = RunwayCli.JSON.readTree("{\"items\": [{\"kind\": \"HealthCheckPassed\"}]}");
        assertEquals(Optional.empty(), TrafficLog.parse(List.of()).rollbackReport("staging", "1.2.0", "1.1.0", decisions));
    }
}

package dev.runway.healthwatcher.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.runway.healthwatcher.rules.Metric;

class QueryTemplatesTest {

    static final Map<String, String> LABELS = Map.of("deploymentId", "d-1", "version", "1.2.\"3", "environment", "production");

    @Test
    void oneExpressionIsTheErrorRateWithLabelsEscaped() {
        Map<Metric, String> q = QueryTemplates.render("sum(rate(x{version=\"{{version}}\",env=\"{{ environment }}\"}[1m]))", LABELS);
        assertEquals(Map.of(Metric.ERROR_RATE, "sum(rate(x{version=\"1.2.\\\"3\",env=\"production\"}[1m]))"), q);
    }

    @Test
    void oneLinePerMetric() {
        Map<Metric, String> q = QueryTemplates.render("""
                error_rate: e{d="{{deploymentId}}"}
                latency_p99: l99{d="{{deploymentId}}"}
                """, LABELS);
        assertEquals("e{d=\"d-1\"}", q.get(Metric.ERROR_RATE));
        assertEquals("l99{d=\"d-1\"}", q.get(Metric.LATENCY_P99));
    }

    @Test
    void unknownPlaceholderOrStrayLineIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> QueryTemplates.render("x{a=\"{{colour}}\"}", LABELS));
        assertThrows(IllegalArgumentException.class, () -> QueryTemplates.render("error_rate: x\nwhat is this", LABELS));
    }
}

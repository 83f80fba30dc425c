package dev.runway.healthwatcher.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PrometheusTextParserTest {

    @Test
    void readsCommentsLabelsEscapesSpecialValuesTimestampsAndExemplars() {
        String page = """
                # HELP http_requests_total Requests.
                # TYPE http_requests_total counter
                http_requests_total{code="200",path="/a\\"b\\\\c\\nd"} 1027 1395066363000
                http_requests_total{code="500",} 3
                plain_metric 4.5e2
                weird{le="+Inf"} +Inf
                nan_metric NaN
                neg -Inf
                {"my.dotted.metric", "quoted.label"="v"} 7
                om_counter_total{a="b"} 17 # {trace_id="abc"} 1.0 1520879607.789
                # EOF
                """;
        List<PrometheusTextParser.Sample> s = PrometheusTextParser.parse(page);
        assertEquals(8, s.size());
        assertEquals(new PrometheusTextParser.Sample("http_requests_total", Map.of("code", "200", "path", "/a\"b\\c\nd"), 1027), s.get(0));
        assertEquals(3, s.get(1).value());
        assertEquals(450, s.get(2).value());
        assertEquals(Double.POSITIVE_INFINITY, s.get(3).value());
        assertTrue(Double.isNaN(s.get(4).value()));
        assertEquals(Double.NEGATIVE_INFINITY, s.get(5).value());
        assertEquals("my.dotted.metric", s.get(6).name());
        assertEquals("v", s.get(6).label("quoted.label"));
        assertEquals(17, s.get(7).value());
    }

    @Test
    void malformedLinesFailWithTheirLineNumber() {
        for (String bad : new String[] { "metric{code=\"200\" 1", "metric{code=200} 1", "metric abc", "metric{code=\"x} 1",
                "metric", "metric 1 2 3", "metric{a=\"\\q\"} 1" }) {
            var e = assertThrows(PrometheusTextParser.FormatException.class, () -> PrometheusTextParser.parse("ok 1\n" + bad + "\n"), bad);
            assertTrue(e.getMessage().startsWith("line 2:"), e.getMessage());
        }
    }

    @Test
    void emptyPageHasNoSamples() {
        assertEquals(List.of(), PrometheusTextParser.parse("\n# just comments\n\n"));
    }
}

package dev.runway.healthwatcher.plan;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.runway.healthwatcher.rules.Metric;

/**
 * A target's {@code prometheusQuery}: either one PromQL expression giving the error rate in %, or
 * one line per metric, {@code error_rate: <promql>}, {@code latency_p99: <promql>} (ms),
 * {@code latency_p95: <promql>} (ms). Placeholders {@code {{deploymentId}} {{environment}}
 * {{project}} {{version}} {{component}} {{step}} {{watchId}} {{trafficPercent}}} are replaced by the
 * watch's labels, escaped for a PromQL string literal; an unknown placeholder rejects the StartWatch.
 */
public final class QueryTemplates {

    private static final Pattern LINE = Pattern.compile("^\\s*(error_rate|latency_p99|latency_p95)\\s*:\\s*(.+)$");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z]+)\\s*}}");

    private QueryTemplates() {
    }

    /** Metric → rendered PromQL, in the order written. */
    public static Map<Metric, String> render(String template, Map<String, String> labels) {
        Map<Metric, String> out = new LinkedHashMap<>();
        boolean perMetric = template.lines().anyMatch(l -> LINE.matcher(l).matches());
        if (!perMetric) {
            out.put(Metric.ERROR_RATE, substitute(template.strip(), labels));
            return out;
        }
        for (String line : template.lines().toList()) {
            if (line.isBlank()) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("prometheusQuery line is not 'metric: promql': " + line.strip());
            }
            Metric metric = switch (m.group(1)) {
                case "error_rate" -> Metric.ERROR_RATE;
                case "latency_p99" -> Metric.LATENCY_P99;
                default -> Metric.LATENCY_P95;
            };
            out.put(metric, substitute(m.group(2).strip(), labels));
        }
        return out;
    }

    static String substitute(String query, Map<String, String> labels) {
        Matcher m = PLACEHOLDER.matcher(query);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = labels.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("unknown placeholder {{" + m.group(1) + "}} in prometheusQuery; known: " + labels.keySet());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value.replace("\\", "\\\\").replace("\"", "\\\"")));
        }
        m.appendTail(out);
        return out.toString();
    }
}

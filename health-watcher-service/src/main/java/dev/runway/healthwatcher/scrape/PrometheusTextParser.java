package dev.runway.healthwatcher.scrape;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the Prometheus text exposition format (0.0.4) and the OpenMetrics text format closely enough
 * to take counters and histograms out of it: {@code # HELP}/{@code # TYPE} and other comments are
 * skipped, label values may hold escaped {@code \\ \" \n}, values may be {@code NaN}, {@code +Inf},
 * {@code -Inf}, a timestamp and an OpenMetrics exemplar ({@code # {...} v}) may follow the value, and
 * quoted UTF-8 metric names ({@code {"my.metric",a="b"} 1}) are accepted.
 *
 * <p>Hand-written because no maintained Java library parses this format (the Prometheus Java client
 * only writes it); it is small and tested line by line. A malformed line fails the whole scrape with
 * its line number: a half-read page must not be mistaken for "no errors".
 */
public final class PrometheusTextParser {

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {
        public String label(String name) {
            return labels.get(name);
        }
    }

    public static final class FormatException extends RuntimeException {
        public FormatException(int line, String message) {
            super("line " + line + ": " + message);
        }
    }

    private PrometheusTextParser() {
    }

    public static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            samples.add(new LineReader(trimmed, i + 1).sample());
        }
        return samples;
    }

    private static final class LineReader {
        private final String s;
        private final int line;
        private int pos;

        LineReader(String s, int line) {
            this.s = s;
            this.line = line;
        }

        Sample sample() {
            String name = null;
            if (peek() != '{') {
                name = identifier();
            }
            Map<String, String> labels = Collections.emptyMap();
            if (peek() == '{') {
                pos++;
                labels = new LinkedHashMap<>();
                skipSpaces();
                while (peek() != '}') {
                    if (peek() == '"') {
                        String quoted = quoted();
                        skipSpaces();
                        if (peek() == '=') { // a quoted label name
                            pos++;
                            skipSpaces();
                            labels.put(quoted, quoted());
                        } else if (name == null) {
                            name = quoted; // UTF-8 metric name inside the braces
                        } else {
                            throw error("second metric name");
                        }
                    } else {
                        String labelName = identifier();
                        skipSpaces();
                        expect('=');
                        skipSpaces();
                        labels.put(labelName, quoted());
                    }
                    skipSpaces();
                    if (peek() == ',') {
                        pos++;
                        skipSpaces();
                    } else if (peek() != '}') {
                        throw error("expected , or } in labels");
                    }
                }
                pos++;
            }
            if (name == null) {
                throw error("sample without a metric name");
            }
            if (pos >= s.length() || (s.charAt(pos) != ' ' && s.charAt(pos) != '\t')) {
                throw error("expected a space before the value");
            }
            skipSpaces();
            int start = pos;
            while (pos < s.length() && s.charAt(pos) != ' ' && s.charAt(pos) != '\t') {
                pos++;
            }
            double value = number(s.substring(start, pos));
            skipSpaces();
            // What may follow: a timestamp, then (OpenMetrics) "# {labels} value [timestamp]" for an exemplar.
            if (pos < s.length() && s.charAt(pos) != '#') {
                int tsStart = pos;
                while (pos < s.length() && s.charAt(pos) != ' ' && s.charAt(pos) != '\t') {
                    pos++;
                }
                number(s.substring(tsStart, pos));
                skipSpaces();
            }
            if (pos < s.length() && s.charAt(pos) != '#') {
                throw error("unexpected text after the value: " + s.substring(pos));
            }
            return new Sample(name, labels, value);
        }

        private double number(String token) {
            switch (token) {
                case "NaN": return Double.NaN;
                case "+Inf", "Inf": return Double.POSITIVE_INFINITY;
                case "-Inf": return Double.NEGATIVE_INFINITY;
                default:
                    try {
                        return Double.parseDouble(token);
                    } catch (NumberFormatException e) {
                        throw error("not a number: '" + token + "'");
                    }
            }
        }

        private String identifier() {
            int start = pos;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                boolean ok = c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                        || (pos > start && c >= '0' && c <= '9');
                if (!ok) {
                    break;
                }
                pos++;
            }
            if (start == pos) {
                throw error("expected a name at column " + (pos + 1));
            }
            return s.substring(start, pos);
        }

        private String quoted() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                if (pos >= s.length()) {
                    throw error("unterminated label value");
                }
                char c = s.charAt(pos++);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\') {
                    if (pos >= s.length()) {
                        throw error("unterminated escape");
                    }
                    char e = s.charAt(pos++);
                    out.append(switch (e) {
                        case 'n' -> '\n';
                        case '\\' -> '\\';
                        case '"' -> '"';
                        default -> throw error("unknown escape \\" + e);
                    });
                } else {
                    out.append(c);
                }
            }
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "' at column " + (pos + 1));
            }
            pos++;
        }

        private void skipSpaces() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
                pos++;
            }
        }

        private FormatException error(String message) {
            return new FormatException(line, message);
        }
    }
}

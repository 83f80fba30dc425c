package dev.runway.cli.commands;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Text views of the orchestrator's project endpoints: the board ({@code GET /projects}), one project
 * environment ({@code GET /projects/{p}/environments/{env}}) and one environment across projects
 * ({@code GET /environments/{env}}). They read JSON trees, not records: a field missing or of another type
 * shows as "-" instead of failing the command, so a newer or older orchestrator still gives a readable view.
 */
final class Board {

    private Board() {
    }

    /**
     * One row per project environment: client, project, environment, live versions, lock, queue, last
     * outcome. The board is {@code {"clients": [{"client", "projects": [{"project", "environments": [...]}]}]}}.
     */
    static void board(PrintStream out, JsonNode board) {
        List<String[]> rows = new ArrayList<>();
        int count = 0;
        for (JsonNode c : array(board.path("clients"))) {
            for (JsonNode p : array(c.path("projects"))) {
                count++;
                List<JsonNode> envs = array(p.path("environments"));
                if (envs.isEmpty()) {
                    rows.add(new String[] { text(c, "client"), text(p, "project"), "-", "(nothing deployed)", "-", "-", "-" });
                }
                for (JsonNode e : envs) {
                    rows.add(new String[] { text(c, "client"), text(p, "project"), text(e, "environment"), live(e.path("live")),
                            lock(e.path("lock")), queue(e.path("queue")), last(e.path("lastOutcome")) });
                }
            }
        }
        if (rows.isEmpty()) {
            out.println("No project has been deployed yet.");
            return;
        }
        table(out, new String[] { "CLIENT", "PROJECT", "ENVIRONMENT", "LIVE", "LOCK", "QUEUE", "LAST" }, rows);
        out.println(count + " project" + (count == 1 ? "" : "s"));
    }

    /** One environment of every project the token may see. */
    static void environment(PrintStream out, JsonNode view) {
        out.println("Environment  " + text(view, "environment") + " (all projects)");
        List<String[]> rows = new ArrayList<>();
        for (JsonNode p : array(view.path("projects"))) {
            JsonNode recent = array(p.path("recent")).stream().findFirst().orElse(null);
            rows.add(new String[] { text(p, "client"), text(p, "project"), live(p.path("live")), lock(p.path("lock")),
                    queue(p.path("queue")), recent == null ? "-" : last(recent) });
        }
        out.println();
        if (rows.isEmpty()) {
            out.println("  (no project has been deployed here)");
            return;
        }
        table(out, new String[] { "CLIENT", "PROJECT", "LIVE", "LOCK", "QUEUE", "LAST" }, rows);
    }

    /** One project environment: header lines, live versions with their fronts; the caller prints queue and history. */
    static void projectEnvironment(PrintStream out, JsonNode view, String project, String environment, ZoneId zone) {
        String client = text(view, "client");
        out.println("Project      " + (view.hasNonNull("project") ? text(view, "project") : project)
                + ("-".equals(client) ? "" : " (client " + client + ")"));
        out.println("Environment  " + (view.hasNonNull("environment") ? text(view, "environment") : environment));
        JsonNode lock = view.path("lock");
        out.println("Lock         " + (isObject(lock) ? "held by deployment " + text(lock, "deploymentId") + " (fencing token "
                + text(lock, "fencingToken") + ")" : "free"));
        if (view.hasNonNull("front")) {
            out.println("Front        " + text(view, "front"));
        }
        out.println();
        out.println("Live versions");
        List<JsonNode> live = array(view.path("live"));
        if (live.isEmpty()) {
            out.println("  (nothing deployed yet)");
        }
        for (JsonNode l : live) {
            String front = l.hasNonNull("front") ? "  front " + text(l, "front") : "";
            out.println(("  " + pad(text(l, "component"), 16) + pad(text(l, "version"), 14) + "since "
                    + when(l.path("releasedAt"), zone) + "  deployment " + text(l, "deploymentId") + front).stripTrailing());
        }
    }

    /** "web 1.2.0, api 1.1.0" */
    static String live(JsonNode live) {
        List<String> parts = new ArrayList<>();
        for (JsonNode l : array(live)) {
            parts.add(text(l, "component") + " " + text(l, "version"));
        }
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }

    static String lock(JsonNode lock) {
        if (!isObject(lock)) {
            return "free";
        }
        String id = text(lock, "deploymentId");
        return short8(id) + " #" + text(lock, "fencingToken");
    }

    static String queue(JsonNode queue) {
        List<JsonNode> items = array(queue);
        if (items.isEmpty()) {
            return "-";
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode q : items) {
            parts.add(q.isTextual() ? q.asText() : text(q, "version"));
        }
        return items.size() + " (" + String.join(", ", parts) + ")";
    }

    /** "SUCCEEDED 1.2.0" of the last deployment, or "-". */
    static String last(JsonNode last) {
        if (!isObject(last)) {
            return "-";
        }
        return (text(last, "state") + " " + (last.hasNonNull("version") ? text(last, "version") : "")).strip();
    }

    static List<JsonNode> array(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(out::add);
        }
        return out;
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull() || v.isMissingNode() || v.isContainerNode()) {
            return "-";
        }
        String s = v.asText();
        return s.isBlank() ? "-" : s;
    }

    private static boolean isObject(JsonNode node) {
        return node != null && node.isObject();
    }

    private static String short8(String id) {
        return id.length() > 8 ? id.substring(0, 8) : id;
    }

    private static String when(JsonNode t, ZoneId zone) {
        try {
            return t != null && t.isTextual() ? StatusCommand.WHEN.format(Instant.parse(t.asText()).atZone(zone)) : "-";
        } catch (RuntimeException e) {
            return t.asText();
        }
    }

    private static void table(PrintStream out, String[] header, List<String[]> rows) {
        int[] widths = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            widths[i] = header[i].length();
            for (String[] r : rows) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        out.println(line(header, widths));
        rows.forEach(r -> out.println(line(r, widths)));
    }

    private static String line(String[] cells, int[] widths) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            b.append(i == cells.length - 1 ? cells[i] : pad(cells[i], widths[i] + 2));
        }
        return b.toString().stripTrailing();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }
}

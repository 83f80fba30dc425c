package dev.runway.cli.timeline;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.runway.cli.api.Views.Deployment;
import dev.runway.cli.api.Views.Event;
import dev.runway.cli.api.Views.Step;
import dev.runway.cli.console.Style;
import dev.runway.cli.deploy.Durations;

/**
 * Turns successive snapshots of {@code GET /deployments/{id}} into the lines of a readable
 * timeline, each printed once: a step when it starts (if seen running) and when it ends, the
 * audit events that matter to people (health decisions with their evidence, approvals,
 * recommendations, overrides, lock recovery, progress), and what a waiting deployment waits for.
 * Pure: no I/O, no clock; the caller passes "now" for progress lines.
 */
public final class Timeline {

    static final int NAME_WIDTH = 24;
    static final int DURATION_WIDTH = 8;

    private final Style style;
    private final DateTimeFormatter clock;

    private final Set<String> seenEvents = new HashSet<>();
    private final Map<String, String> printedStatus = new HashMap<>();
    private final Map<String, Long> progressBuckets = new HashMap<>();
    private String waitingLine;

    public Timeline(Style style, ZoneId zone) {
        this.style = style;
        this.clock = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(zone);
    }

    private record Item(Instant at, int order, String line) {
    }

    /** "Deployment 1b2c…: acme-shop 1.2.0 → staging (canary on host)". */
    public String header(Deployment d) {
        return style.bold("Deployment " + d.id()) + ": " + d.project() + " " + d.version() + " → " + d.environment()
                + " (" + d.strategy() + (d.target() == null ? "" : " on " + d.target()) + (d.dryRun() ? ", dry run" : "") + ")";
    }

    /** The lines this snapshot adds to what earlier snapshots printed, in time order. */
    public List<String> update(Deployment d) {
        List<Item> items = new ArrayList<>();
        int order = 0;
        for (Step s : d.stepList()) {
            String key = s.name() + "|" + s.kind() + "|" + s.startedAt();
            String before = printedStatus.get(key);
            if (s.status() == null || s.status().equals(before)) {
                continue;
            }
            if ("RUNNING".equals(s.status())) {
                items.add(new Item(s.startedAt(), order++, started(s)));
            } else if (before == null || "RUNNING".equals(before)) {
                items.add(new Item(s.finishedAt() != null ? s.finishedAt() : s.startedAt(), order++, finished(s, d)));
            }
            printedStatus.put(key, s.status());
        }
        int approvals = 0;
        for (Event e : d.eventList()) {
            if ("approved".equals(e.action())) {
                approvals++;
            }
            String key = e.at() + "|" + e.actor() + "|" + e.action() + "|" + e.detail() + "|" + e.eventId();
            if (!seenEvents.add(key)) {
                continue;
            }
            String line = event(e, approvals, d);
            if (line != null) {
                items.add(new Item(e.at(), order++, line));
            }
        }
        items.sort(Comparator.comparing((Item i) -> i.at() == null ? Instant.MIN : i.at()).thenComparingInt(Item::order));
        List<String> lines = new ArrayList<>(items.stream().map(Item::line).toList());
        String waiting = waiting(d);
        if (waiting != null && !waiting.equals(waitingLine)) {
            lines.add(at(latest(d)) + "  " + style.yellow("⏳") + " " + waiting);
        }
        waitingLine = waiting;
        return lines;
    }

    /** What a deployment at a gate waits for, or null. */
    String waiting(Deployment d) {
        if (d.state() == null) {
            return null;
        }
        return switch (d.state()) {
            case "AWAITING_APPROVAL" -> {
                int required = d.approvals() == null ? 0 : d.approvals().required();
                int given = d.approvals() == null ? 0 : d.approvals().givenList().size();
                yield "waiting for " + required + " approval" + (required == 1 ? "" : "s") + " (" + given + " given): runway approve "
                        + d.id();
            }
            case "AWAITING_WINDOW" -> "waiting for the deployment window to open (an SRE may override: POST /deployments/"
                    + d.id() + "/window-override with a reason)";
            case "QUEUED" -> "queued: another deployment holds the " + d.environment() + " lock (see runway status -e "
                    + d.environment() + ")";
            default -> null;
        };
    }

    private String started(Step s) {
        String symbol = s.compensation() ? style.yellow("↺") : style.blue("▸");
        return at(s.startedAt()) + "  " + symbol + " " + pad(s.name(), NAME_WIDTH) + "  "
                + (s.compensation() ? "compensating" : "started");
    }

    private String finished(Step s, Deployment d) {
        String symbol;
        switch (s.status()) {
            case "COMPLETED" -> symbol = s.compensation() ? style.yellow("↺") : style.green("✓");
            case "FAILED" -> symbol = style.red("✗");
            case "ABANDONED" -> symbol = style.yellow("⊘");
            default -> symbol = "?";
        }
        Duration took = s.durationMs() != null ? Duration.ofMillis(s.durationMs())
                : s.finishedAt() != null && s.startedAt() != null ? Duration.between(s.startedAt(), s.finishedAt()) : null;
        String detail = s.detail();
        if ((detail == null || detail.isBlank()) && "lock".equals(s.name()) && "COMPLETED".equals(s.status())
                && d.fencingToken() != null) {
            detail = d.environment() + " lock taken, fencing token " + d.fencingToken();
        }
        if ("FAILED".equals(s.status())) {
            detail = style.red(detail == null ? "failed" : detail);
        }
        return (at(s.finishedAt()) + "  " + symbol + " " + pad(s.name(), NAME_WIDTH) + "  "
                + pad(took == null ? "" : Durations.human(took), DURATION_WIDTH) + (detail == null ? "" : "  " + detail)).stripTrailing();
    }

    /** An audit event as a line, or null for those the step lines already tell (replies, failures, the end). */
    private String event(Event e, int approvalsSoFar, Deployment d) {
        String detail = e.detail() == null ? "" : e.detail();
        String by = e.actor() == null ? "" : " (by " + e.actor() + ")";
        String prefix = at(e.at()) + "  ";
        return switch (e.action() == null ? "" : e.action()) {
            case "requested" -> prefix + "• " + pad("requested", NAME_WIDTH) + "  " + detail + by;
            case "approved" -> prefix + style.green("✓") + " " + pad("approved by " + e.actor(), NAME_WIDTH) + "  "
                    + approvalsSoFar + " of " + (d.approvals() == null ? "?" : d.approvals().required()) + " approvals"
                    + (detail.isBlank() ? "" : ": " + detail);
            case "reply" -> "health-watcher".equals(e.actor()) ? decision(prefix, detail) : null;
            case "rollback-recommended" -> prefix + style.yellow("⚠") + " " + pad("rollback recommended", NAME_WIDTH) + "  " + detail;
            case "progress" -> prefix + style.dim("… " + pad("progress", NAME_WIDTH) + "  " + detail);
            case "step-failed", "ended", "ignored" -> null;
            case "lock-recovered", "lock-lost" -> prefix + style.yellow("⚷") + " " + pad(e.action(), NAME_WIDTH) + "  " + detail;
            default -> prefix + "• " + pad(e.action(), NAME_WIDTH) + "  " + detail + by;
        };
    }

    /** A health-watcher reply ("ThresholdBreached for watch-canary-25: error_rate 12.0 > 5.0 …") as a decision line. */
    private String decision(String prefix, String detail) {
        String record = detail;
        String rest = "";
        int space = detail.indexOf(' ');
        if (space > 0) {
            record = detail.substring(0, space);
            rest = detail.substring(space + 1);
            if (rest.startsWith("for ")) {
                rest = rest.substring(4);
            }
        }
        boolean good = record.equals("HealthCheckPassed");
        String symbol = good ? style.green("◆") : style.red("◆");
        String label = good ? "health: passed" : record.equals("ThresholdBreached") ? "health: BREACH" : "health: " + record;
        return prefix + symbol + " " + pad(label, NAME_WIDTH) + "  " + (good ? rest : style.red(rest));
    }

    /** The step now running with its elapsed time ("… shift-traffic-25  running 12 s"), if any. */
    public Optional<String> progress(Deployment d, Instant now) {
        return running(d).map(s -> at(now) + "  " + style.dim("… " + pad(s.name(), NAME_WIDTH) + "  running "
                + Durations.human(Duration.between(s.startedAt(), now))));
    }

    /** For a non-terminal output: the progress line once per {@code every} of a step's run time, else empty. */
    public Optional<String> periodic(Deployment d, Instant now, Duration every) {
        Optional<Step> running = running(d);
        if (running.isEmpty()) {
            return Optional.empty();
        }
        Step s = running.get();
        long bucket = Duration.between(s.startedAt(), now).toMillis() / every.toMillis();
        String key = s.name() + "|" + s.kind() + "|" + s.startedAt();
        Long last = progressBuckets.get(key);
        if (bucket < 1 || (last != null && last >= bucket)) {
            return Optional.empty();
        }
        progressBuckets.put(key, bucket);
        return progress(d, now);
    }

    private static Optional<Step> running(Deployment d) {
        List<Step> steps = d.stepList();
        for (int i = steps.size() - 1; i >= 0; i--) {
            if ("RUNNING".equals(steps.get(i).status()) && steps.get(i).startedAt() != null) {
                return Optional.of(steps.get(i));
            }
        }
        return Optional.empty();
    }

    /** The closing line: the final state, the total time and the reason. */
    public String summary(Deployment d) {
        String state = d.state() == null ? "UNKNOWN" : d.state();
        String symbol = switch (state) {
            case "SUCCEEDED" -> style.green("✓ " + state);
            case "ROLLED_BACK" -> style.yellow("↺ " + state);
            case "NEEDS_ATTENTION" -> style.yellow("⚠ " + state);
            default -> style.red("✗ " + state);
        };
        Duration total = d.createdAt() != null && d.finishedAt() != null ? Duration.between(d.createdAt(), d.finishedAt()) : null;
        String what = d.project() + " " + d.version() + " → " + d.environment() + (d.dryRun() ? " (dry run)" : "");
        return symbol + "  " + what + (total == null ? "" : " in " + Durations.human(total))
                + (d.reason() == null || d.reason().isBlank() ? "" : ": " + d.reason());
    }

    private static Instant latest(Deployment d) {
        Instant latest = d.createdAt();
        for (Step s : d.stepList()) {
            latest = max(max(latest, s.startedAt()), s.finishedAt());
        }
        for (Event e : d.eventList()) {
            latest = max(latest, e.at());
        }
        return latest;
    }

    private static Instant max(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    private String at(Instant t) {
        return t == null ? "--:--:--" : clock.format(t);
    }

    static String pad(String s, int width) {
        String v = s == null ? "" : s;
        return v.length() >= width ? v : v + " ".repeat(width - v.length());
    }
}

package dev.runway.notifier.routing;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.avro.specific.SpecificRecord;

import dev.runway.events.ApprovalGranted;
import dev.runway.events.ApprovalRequested;
import dev.runway.events.DeployRequested;
import dev.runway.events.DeploymentCancelled;
import dev.runway.events.DeploymentFailed;
import dev.runway.events.DeploymentRolledBack;
import dev.runway.events.DeploymentStarted;
import dev.runway.events.DeploymentSucceeded;
import dev.runway.events.Environment;
import dev.runway.events.EventHeader;
import dev.runway.events.Envelopes;
import dev.runway.events.HealthCheckPassed;
import dev.runway.events.IncidentPriority;
import dev.runway.events.NeedsAttention;
import dev.runway.events.RollbackDecided;
import dev.runway.events.RollbackMode;
import dev.runway.events.StepCompleted;
import dev.runway.events.StepKind;
import dev.runway.events.StepStarted;
import dev.runway.events.ThresholdBreached;

/**
 * Turns a lifecycle event or health decision into a {@link Notice}: the wording of sop.md 000-7.1
 * (success / failure Slack payloads), §10.1 (rollback notice) and the 003 incident template.
 */
public final class Notices {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

    private Notices() {
    }

    /** @throws IllegalArgumentException for a record type the notifier does not announce */
    public static Notice of(SpecificRecord event, DeploymentContext ctx, Optional<String> linkBase) {
        EventHeader h = Envelopes.headerOf(event);
        String env = label(h.getEnvironment());
        String project = h.getProject();
        String version = ctx.version().orElse("?");
        Optional<String> link = linkBase.map(base -> base + h.getDeploymentId());
        List<Notice.Line> lines = new ArrayList<>();
        Optional<String> incident = Optional.empty();
        Severity severity;
        String headline;
        String title;

        if (event instanceof DeployRequested e) {
            severity = Severity.INFO;
            headline = "📝 " + env + " deployment requested: " + project + " " + e.getVersion();
            title = env + " Deployment Requested";
            lines.add(new Notice.Line("Project", project));
            lines.add(new Notice.Line("Version", e.getVersion()));
            lines.add(new Notice.Line("Components", String.join(", ", e.getComponents())));
            lines.add(new Notice.Line("Strategy", e.getStrategy().name()));
            lines.add(new Notice.Line("Requested by", e.getRequestedBy()));
            if (e.getDryRun()) {
                lines.add(new Notice.Line("Dry run", "yes (plan only)"));
            }
        } else if (event instanceof ApprovalRequested e) {
            severity = Severity.WARNING;
            headline = "✋ Approval needed: " + project + " " + e.getVersion() + " to " + env;
            title = env + " Deployment Awaiting Approval";
            lines.add(new Notice.Line("Version", e.getVersion()));
            lines.add(new Notice.Line("Approvals required", String.valueOf(e.getRequiredApprovals())));
            lines.add(new Notice.Line("Requested by", e.getRequestedBy()));
        } else if (event instanceof ApprovalGranted e) {
            severity = Severity.INFO;
            headline = "👍 Approval " + e.getApprovalsGiven() + "/" + e.getApprovalsRequired() + " granted: " + project + " on " + env;
            title = env + " Deployment Approved (" + e.getApprovalsGiven() + "/" + e.getApprovalsRequired() + ")";
            lines.add(new Notice.Line("Approver", e.getApprover()));
            if (e.getComment() != null) {
                lines.add(new Notice.Line("Comment", e.getComment()));
            }
        } else if (event instanceof DeploymentStarted e) {
            severity = Severity.INFO;
            headline = "🚀 " + env + " deployment started: " + project + " " + e.getVersion();
            title = env + " Deployment Started";
            lines.add(new Notice.Line("Version", e.getVersion()));
            lines.add(new Notice.Line("Components", String.join(", ", e.getComponents())));
            lines.add(new Notice.Line("Strategy", e.getStrategy().name()));
            ctx.requestedBy().ifPresent(by -> lines.add(new Notice.Line("Deployed by", by)));
            if (e.getDryRun()) {
                lines.add(new Notice.Line("Dry run", "yes (plan only)"));
            }
        } else if (event instanceof StepStarted e) {
            severity = Severity.INFO;
            String kind = e.getKind() == StepKind.COMPENSATION ? " (compensation)" : "";
            headline = "▶️ " + env + " step started: " + e.getStep() + kind + " — " + project;
            title = "Step " + e.getStep() + " Started" + kind + (e.getAttempt() > 1 ? ", attempt " + e.getAttempt() : "");
            lines.add(new Notice.Line("Step", e.getStep()));
            lines.add(new Notice.Line("Attempt", String.valueOf(e.getAttempt())));
        } else if (event instanceof StepCompleted e) {
            severity = e.getKind() == StepKind.COMPENSATION ? Severity.WARNING : Severity.INFO;
            String kind = e.getKind() == StepKind.COMPENSATION ? " (compensation)" : "";
            headline = "✔️ " + env + " step completed: " + e.getStep() + kind + " — " + project;
            title = "Step " + e.getStep() + " Completed" + kind;
            lines.add(new Notice.Line("Step", e.getStep()));
            lines.add(new Notice.Line("Duration", duration(e.getDurationMs())));
            if (e.getDetail() != null) {
                lines.add(new Notice.Line("Detail", e.getDetail()));
            }
        } else if (event instanceof DeploymentSucceeded e) {
            // sop.md 000-7.1 "Notify Slack - Success".
            severity = Severity.INFO;
            headline = "✅ " + env + " deployment successful";
            title = env + " Deployment Complete";
            lines.add(new Notice.Line("Project", project));
            lines.add(new Notice.Line("Version", e.getVersion()));
            lines.add(new Notice.Line("Components", String.join(", ", e.getComponents())));
            ctx.requestedBy().ifPresent(by -> lines.add(new Notice.Line("Deployed by", by)));
            lines.add(new Notice.Line("Duration", duration(e.getDurationMs())));
        } else if (event instanceof DeploymentFailed e) {
            // sop.md 000-7.1 "Notify Slack - Failure".
            severity = Severity.CRITICAL;
            headline = "❌ " + env + " deployment failed";
            title = env + " Deployment Failed";
            lines.add(new Notice.Line("Project", project));
            lines.add(new Notice.Line("Version", e.getVersion()));
            lines.add(new Notice.Line("Reason", e.getReason()));
            if (e.getFailedStep() != null) {
                lines.add(new Notice.Line("Failed step", e.getFailedStep()));
            }
        } else if (event instanceof NeedsAttention e) {
            severity = Severity.CRITICAL;
            headline = "🛑 " + env + " deployment needs attention: " + project + " " + e.getVersion();
            title = env + " Deployment Needs Attention";
            lines.add(new Notice.Line("Version", e.getVersion()));
            lines.add(new Notice.Line("Reason", e.getReason()));
            if (e.getStep() != null) {
                lines.add(new Notice.Line("Step", e.getStep()));
            }
        } else if (event instanceof DeploymentCancelled e) {
            severity = Severity.WARNING;
            headline = "🚫 " + env + " deployment cancelled: " + project + " " + e.getVersion();
            title = env + " Deployment Cancelled";
            lines.add(new Notice.Line("Version", e.getVersion()));
            lines.add(new Notice.Line("Cancelled by", e.getCancelledBy()));
            if (e.getReason() != null) {
                lines.add(new Notice.Line("Reason", e.getReason()));
            }
        } else if (event instanceof DeploymentRolledBack e) {
            // sop.md 000-10.1 "Rollback executed on $ENVIRONMENT ..." plus the 003 incident message.
            severity = Severity.CRITICAL;
            headline = "⚠️ Rollback executed on " + h.getEnvironment().name().toLowerCase(Locale.ROOT) + ": "
                    + project + " " + e.getVersion() + " rolled back to the previous version";
            title = env + " Deployment Rolled Back";
            lines.add(new Notice.Line("Project", project));
            lines.add(new Notice.Line("Version", e.getVersion()));
            lines.add(new Notice.Line("Reason", e.getReason()));
            lines.add(new Notice.Line("Compensations", e.getCompensations().isEmpty() ? "none" : String.join(" → ", e.getCompensations())));
            incident = Optional.of(incident(project + " " + e.getVersion() + " rolled back on " + env,
                    ctx.incidentPriority().orElse(IncidentPriority.P1.name()),
                    ctx.incidentStartedAt().orElse(h.getOccurredAt()), e.getReason(),
                    "Rolled back to the previous version (" + (e.getCompensations().isEmpty() ? "no compensation needed"
                            : String.join(", ", e.getCompensations())) + ")",
                    "Resolved (root cause under investigation)"));
        } else if (event instanceof HealthCheckPassed e) {
            severity = Severity.INFO;
            headline = "💚 " + env + " health check passed (" + e.getPhase() + ", " + e.getStep() + "): " + project;
            title = "Health Check Passed: " + e.getStep();
            lines.add(new Notice.Line("Phase", e.getPhase().name()));
            lines.add(new Notice.Line("Samples", String.valueOf(e.getSamples())));
            lines.add(new Notice.Line("Summary", e.getSummary()));
        } else if (event instanceof ThresholdBreached e) {
            severity = e.getPriority() == IncidentPriority.P2 ? Severity.WARNING : Severity.CRITICAL;
            headline = "📈 " + env + " threshold breached: " + e.getMetric() + " (" + e.getPriority() + ") — " + project;
            // The title leaves out the measured value: repeated breaches of one metric collapse.
            title = "Threshold Breached: " + e.getMetric() + " (" + e.getPriority() + ")";
            lines.add(new Notice.Line("Metric", e.getMetric()));
            lines.add(new Notice.Line("Value", number(e.getValue()) + " (threshold " + number(e.getThreshold()) + ")"));
            lines.add(new Notice.Line("Window", e.getWindowSeconds() + " s"));
            lines.add(new Notice.Line("Step", e.getStep()));
            lines.add(new Notice.Line("Priority", e.getPriority().name()));
        } else if (event instanceof RollbackDecided e) {
            severity = Severity.CRITICAL;
            boolean automatic = e.getMode() == RollbackMode.AUTOMATIC;
            headline = "🚨 " + env + " rollback " + (automatic ? "started" : "recommended") + " (" + e.getPriority() + "): " + project + " " + version;
            title = env + " Rollback " + (automatic ? "Decided" : "Recommended") + " (" + e.getPriority() + ")";
            lines.add(new Notice.Line("Reason", e.getReason()));
            lines.add(new Notice.Line("Mode", e.getMode().name()));
            lines.add(new Notice.Line("Act within", e.getTimeframeSeconds() == 0 ? "now" : e.getTimeframeSeconds() + " s"));
            incident = Optional.of(incident(project + " " + version + " unhealthy on " + env, e.getPriority().name(),
                    ctx.incidentStartedAt().orElse(h.getOccurredAt()), e.getReason(),
                    automatic ? "Automatic rollback started" : "Rollback recommended; a person must decide within "
                            + (e.getTimeframeSeconds() == 0 ? "minutes" : e.getTimeframeSeconds() + " s"),
                    automatic ? "Mitigating" : "Investigating"));
        } else {
            throw new IllegalArgumentException("the notifier does not announce " + event.getSchema().getFullName());
        }
        link.ifPresent(l -> lines.add(new Notice.Line("Check", l)));
        String type = event.getSchema().getName();
        String client = h.getClient() != null ? h.getClient() : ctx.client().orElse(null);
        String eventVersion = event instanceof DeployRequested r ? r.getVersion() : DeploymentStore.versionOf(event);
        return new Notice(h.getEventId(), type, h.getDeploymentId(), h.getEnvironment(), project, client, h.getOccurredAt(),
                severity, state(event), eventVersion != null ? eventVersion : ctx.version().orElse(null), headline, title,
                List.copyOf(lines), incident, type + "|" + h.getDeploymentId() + "|" + title, link);
    }

    /**
     * Where the deployment stands after this event, in the orchestrator's words (REQUESTED, AWAITING_APPROVAL,
     * DEPLOYING, MONITORING, COMPENSATING, SUCCEEDED, FAILED, NEEDS_ATTENTION, CANCELLED, ROLLED_BACK), plus
     * APPROVED once the last approval is given.
     */
    static String state(SpecificRecord event) {
        if (event instanceof DeployRequested) {
            return "REQUESTED";
        } else if (event instanceof ApprovalRequested) {
            return "AWAITING_APPROVAL";
        } else if (event instanceof ApprovalGranted e) {
            return e.getApprovalsGiven() >= e.getApprovalsRequired() ? "APPROVED" : "AWAITING_APPROVAL";
        } else if (event instanceof DeploymentStarted) {
            return "DEPLOYING";
        } else if (event instanceof StepStarted e) {
            return e.getKind() == StepKind.COMPENSATION ? "COMPENSATING" : "DEPLOYING";
        } else if (event instanceof StepCompleted e) {
            return e.getKind() == StepKind.COMPENSATION ? "COMPENSATING" : "DEPLOYING";
        } else if (event instanceof DeploymentSucceeded) {
            return "SUCCEEDED";
        } else if (event instanceof DeploymentFailed) {
            return "FAILED";
        } else if (event instanceof NeedsAttention) {
            return "NEEDS_ATTENTION";
        } else if (event instanceof DeploymentCancelled) {
            return "CANCELLED";
        } else if (event instanceof DeploymentRolledBack) {
            return "ROLLED_BACK";
        } else if (event instanceof RollbackDecided e) {
            return e.getMode() == RollbackMode.AUTOMATIC ? "COMPENSATING" : "MONITORING";
        }
        return "MONITORING"; // HealthCheckPassed, ThresholdBreached
    }

    /** The 003 runbook's communication template (§6.2). */
    static String incident(String description, String priority, Instant started, String impact, String actions, String status) {
        return "🚨 INCIDENT: " + description + "\n"
                + "Severity: " + priority + "\n"
                + "Started: " + TIME.format(started.truncatedTo(ChronoUnit.SECONDS)) + "\n"
                + "Impact: " + impact + "\n"
                + "Actions Taken: " + actions + "\n"
                + "Status: " + status;
    }

    /** PRODUCTION → Production, as in the seed's "Production Deployment Complete". */
    static String label(Environment environment) {
        String n = environment.name();
        return n.length() <= 3 ? n : n.charAt(0) + n.substring(1).toLowerCase(Locale.ROOT);
    }

    static String duration(long ms) {
        Duration d = Duration.ofMillis(ms);
        return d.toMinutes() > 0 ? d.toMinutes() + " min " + d.toSecondsPart() + " s" : d.toSeconds() + " s";
    }

    static String number(double v) {
        return Double.isNaN(v) ? "no data" : (v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.2f", v));
    }
}

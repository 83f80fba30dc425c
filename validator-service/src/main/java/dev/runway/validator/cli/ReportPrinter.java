package dev.runway.validator.cli;

import java.io.PrintWriter;

import dev.runway.events.CheckStatus;
import dev.runway.events.ValidationOutcome;
import dev.runway.validator.rules.Check;
import dev.runway.validator.rules.Phase;
import dev.runway.validator.rules.Report;

/** Prints a report in the shape of the SOP's pre-deploy-validate.sh: phases, ✓/✗/⚠ lines, a summary. */
public final class ReportPrinter {

    private static final String RULE = "═══════════════════════════════════════════════════════════════";
    private static final String RED = "\033[0;31m";
    private static final String GREEN = "\033[0;32m";
    private static final String YELLOW = "\033[1;33m";
    private static final String DIM = "\033[2m";
    private static final String NC = "\033[0m";

    private final boolean color;

    public ReportPrinter(boolean color) {
        this.color = color;
    }

    public void print(Report report, String environment, PrintWriter out) {
        out.println("╔════════════════════════════════════════════════════════════════╗");
        out.println("║          RUNWAY PRE-DEPLOYMENT VALIDATION                      ║");
        out.println("╚════════════════════════════════════════════════════════════════╝");
        for (Phase phase : Phase.values()) {
            out.println();
            out.println(RULE);
            out.println("PHASE " + phase.number() + ": " + phase.title());
            out.println(RULE);
            for (Check check : report.checks()) {
                if (check.phase() == phase) {
                    line(check, out);
                }
            }
        }
        out.println();
        out.println(RULE);
        out.println("VALIDATION SUMMARY");
        out.println(RULE);
        ValidationOutcome outcome = report.outcome();
        if (outcome == ValidationOutcome.FAILED) {
            out.println(paint(RED, "FAILED") + ": " + report.errors() + " errors, " + report.warnings() + " warnings");
            out.println("Deployment blocked. Fix errors before proceeding.");
        } else if (outcome == ValidationOutcome.PASSED_WITH_WARNINGS) {
            out.println(paint(YELLOW, "PASSED WITH WARNINGS") + ": " + report.warnings() + " warnings");
            out.println("Review warnings before proceeding with deployment.");
        } else {
            out.println(paint(GREEN, "PASSED") + ": All validations successful");
            out.println("Ready for deployment to " + environment);
        }
        out.flush();
    }

    private void line(Check check, PrintWriter out) {
        String mark = switch (check.status()) {
            case PASSED -> paint(GREEN, "✓");
            case FAILED -> paint(RED, "✗");
            case WARNED -> paint(YELLOW, "⚠");
            case SKIPPED -> paint(DIM, "-");
        };
        out.println(mark + " " + check.message() + " " + paint(DIM, "[" + check.ruleId() + "]"));
        if (check.hint() != null && check.status() != CheckStatus.PASSED) {
            out.println("    → " + check.hint());
        }
    }

    private String paint(String code, String text) {
        return color ? code + text + NC : text;
    }
}

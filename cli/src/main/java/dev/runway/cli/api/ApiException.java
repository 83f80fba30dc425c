package dev.runway.cli.api;

import java.util.ArrayList;
import java.util.List;

import dev.runway.cli.ExitCodes;

/** The orchestrator answered with an error status (problem+json when it could). */
public class ApiException extends RuntimeException {

    private final int status;
    private final Views.Problem problem;

    public ApiException(int status, Views.Problem problem, String fallback) {
        super(problem != null && problem.detail() != null ? problem.detail() : fallback);
        this.status = status;
        this.problem = problem;
    }

    public int status() {
        return status;
    }

    public Views.Problem problem() {
        return problem;
    }

    public int exitCode() {
        return ExitCodes.ofHttpStatus(status);
    }

    /** Readable lines: status and title, the detail, each field with its message, and a hint. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        String title = problem != null && problem.title() != null ? problem.title() : "HTTP " + status;
        lines.add("error: " + status + " " + title + (getMessage() == null ? "" : ": " + getMessage()));
        if (problem != null && problem.errors() != null) {
            for (Views.FieldError e : problem.errors()) {
                lines.add("  " + (e.field() == null ? "?" : e.field()) + ": " + e.message());
            }
        }
        if (status == 401) {
            lines.add("hint: give a bearer token with --token or RUNWAY_TOKEN (locally: ./runway token <user> <roles>)");
        } else if (status == 403) {
            lines.add("hint: the token's roles (groups claim) do not allow this action");
        }
        return lines;
    }
}

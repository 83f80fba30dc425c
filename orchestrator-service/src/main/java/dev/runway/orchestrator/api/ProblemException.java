package dev.runway.orchestrator.api;

import java.util.List;

/** A refusal the API explains: turned into problem+json with its status. */
public class ProblemException extends RuntimeException {

    private final Problem problem;

    public ProblemException(int status, String title, String detail) {
        super(detail);
        this.problem = Problem.of(status, title, detail);
    }

    public ProblemException(int status, String title, String detail, String field) {
        super(detail);
        this.problem = Problem.of(status, title, detail).withErrors(List.of(new Problem.FieldError(field, detail)));
    }

    public Problem problem() {
        return problem;
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(404, "Not Found", what + " does not exist");
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail);
    }

    public static ProblemException badRequest(String field, String detail) {
        return new ProblemException(400, "Bad Request", detail, field);
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "Forbidden", detail);
    }
}

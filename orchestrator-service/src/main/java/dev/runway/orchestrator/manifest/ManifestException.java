package dev.runway.orchestrator.manifest;

import java.util.List;

/** A deploy manifest that cannot be used; each problem names the field (JSON pointer) it is about. */
public class ManifestException extends RuntimeException {

    public record Problem(String field, String message) {
    }

    private final List<Problem> problems;

    public ManifestException(List<Problem> problems) {
        super(problems.isEmpty() ? "invalid manifest" : problems.get(0).field() + ": " + problems.get(0).message());
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}

package dev.runway.orchestrator.manifest;

import java.util.List;

import dev.runway.manifest.ManifestReader;

/** A deploy manifest that cannot be used; each problem names the field (JSON pointer) it is about. */
public class ManifestException extends RuntimeException {

    /** Where the manifest sits in the request body; schema pointers are appended to it. */
    public static final String FIELD = "/manifest";

    public record Problem(String field, String message) {
    }

    private final List<Problem> problems;

    public ManifestException(List<Problem> problems) {
        super(problems.isEmpty() ? "invalid manifest" : problems.get(0).field() + ": " + problems.get(0).message());
        this.problems = List.copyOf(problems);
    }

    /** One value that cannot be used, at its JSON pointer inside the manifest. */
    static ManifestException at(String pointer, String message) {
        return new ManifestException(List.of(new Problem(FIELD + pointer, message)));
    }

    /** The text could not be read within the shared reader's limits (syntax, size, depth, aliases, anchors, ...). */
    static ManifestException unreadable(String why) {
        return new ManifestException(List.of(new Problem(FIELD, why)));
    }

    /** The manifest breaks the schema: one problem per reported error, at the value's pointer. */
    static ManifestException invalid(ManifestReader.SchemaCheck check) {
        return new ManifestException(check.errors().stream().map(e -> new Problem(FIELD + e.pointer(), e.message())).toList());
    }

    public List<Problem> problems() {
        return problems;
    }
}

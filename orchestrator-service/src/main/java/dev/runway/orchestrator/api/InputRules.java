package dev.runway.orchestrator.api;

/**
 * Patterns the API holds text to. PostgreSQL's {@code text} refuses NUL (an insert would fail as a
 * 500), and nothing Runway shows needs control characters; names never need path separators.
 */
public final class InputRules {

    private InputRules() {
    }

    /** Free text (comments, reasons, CI evidence, scan reports): tabs and line breaks, but no other control character. */
    public static final String TEXT = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]*$";

    /** One line of text without any control character (filters, keys). */
    public static final String LINE = "^[^\\x00-\\x1F\\x7F]*$";

    public static final String CONTROL_MESSAGE = "must not contain control characters";

    /** A component name as the manifest spells it (a DNS label), or "all". */
    public static final String COMPONENT = "^(all|[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)$";

    /**
     * A git ref (branch or tag) as git accepts it, and no option: no leading '-', no "..", no
     * whitespace, control characters or the characters git refuses in refs.
     */
    public static final String GIT_REF = "^(?!-)(?!.*\\.\\.)[^\\x00-\\x20\\x7F~^:?*\\[\\\\]+$";

    /** A repository URL or path: one token, no leading '-' (never an option to git), no whitespace or control characters. */
    public static final String REPOSITORY_URL = "^(?!-)[^\\x00-\\x20\\x7F]+$";
}

package dev.runway.access;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The projects a token's holder works for, from its {@value #CLAIM} claim: a list of patterns
 * {@code "*"} (agency-wide, for SREs), {@code "<client>/*"} (every project of one client) or
 * {@code "<client>/<project>"}. A token without the claim works for no project: access is granted,
 * never assumed. Matching ignores case, as project and client names are compared elsewhere.
 */
public final class ProjectScope {

    /** Name of the JWT claim that carries the patterns. */
    public static final String CLAIM = "runway_projects";

    private static final ProjectScope NONE = new ProjectScope(List.of());

    private final List<String> patterns;

    private ProjectScope(List<String> patterns) {
        this.patterns = patterns;
    }

    /** The scope of a claim's values; null or empty = no project. Malformed patterns are refused. */
    public static ProjectScope of(Collection<String> claim) {
        if (claim == null || claim.isEmpty()) {
            return NONE;
        }
        List<String> patterns = new ArrayList<>();
        for (String raw : claim) {
            String pattern = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
            if (!pattern.equals("*") && !pattern.matches("[a-z0-9][a-z0-9._-]*/(\\*|[a-z0-9][a-z0-9._-]*)")) {
                throw new IllegalArgumentException("'" + raw + "' in " + CLAIM
                        + " is not *, <client>/* or <client>/<project>");
            }
            patterns.add(pattern);
        }
        return new ProjectScope(List.copyOf(patterns));
    }

    /**
     * The scope of a JWT claim value as a JWT library hands it over: a collection or array of JSON
     * strings or plain strings, or a single one. A JSON string's text form is quoted; the quotes go.
     */
    public static ProjectScope ofClaim(Object claim) {
        List<String> values = new ArrayList<>();
        if (claim instanceof Iterable<?> items) {
            items.forEach(item -> values.add(unquoted(item)));
        } else if (claim instanceof Object[] items) {
            for (Object item : items) {
                values.add(unquoted(item));
            }
        } else if (claim != null) {
            values.add(unquoted(claim));
        }
        return of(values);
    }

    private static String unquoted(Object value) {
        String text = String.valueOf(value);
        return text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"") ? text.substring(1, text.length() - 1) : text;
    }

    /**
     * The patterns other than {@code *} as two parallel arrays, clients and projects (a project
     * {@code *} = every project of that client), for a SQL filter {@code (client, project) in unnest(?, ?)}.
     */
    public String[][] clientProjectPairs() {
        List<String> clients = new ArrayList<>();
        List<String> projects = new ArrayList<>();
        for (String p : patterns) {
            if (!p.equals("*")) {
                int slash = p.indexOf('/');
                clients.add(p.substring(0, slash));
                projects.add(p.substring(slash + 1));
            }
        }
        return new String[][] { clients.toArray(String[]::new), projects.toArray(String[]::new) };
    }

    /** Everything: the agency-wide scope. */
    public static ProjectScope agencyWide() {
        return new ProjectScope(List.of("*"));
    }

    public boolean isAgencyWide() {
        return patterns.contains("*");
    }

    /** Whether the holder works for this project of this client (client null = not known yet). */
    public boolean allows(String client, String project) {
        if (isAgencyWide()) {
            return true;
        }
        if (client == null || project == null) {
            return false;
        }
        String c = client.toLowerCase(Locale.ROOT);
        String p = project.toLowerCase(Locale.ROOT);
        for (String pattern : patterns) {
            int slash = pattern.indexOf('/');
            if (pattern.substring(0, slash).equals(c)) {
                String projectPart = pattern.substring(slash + 1);
                if (projectPart.equals("*") || projectPart.equals(p)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether the holder works for every project of this client. */
    public boolean allowsClient(String client) {
        return isAgencyWide() || (client != null && patterns.contains(client.toLowerCase(Locale.ROOT) + "/*"));
    }

    public List<String> patterns() {
        return patterns;
    }

    @Override
    public String toString() {
        return String.join(",", patterns);
    }
}

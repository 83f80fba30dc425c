package dev.runway.orchestrator.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds credentials in a repository URL, which would otherwise travel in {@code DeployRequested} on the
 * public topic, in webhook bodies, in step failure reasons and the audit log. Nothing here echoes the URL.
 */
public final class RepositoryUrls {

    /** What the API answers. */
    public static final String REFUSAL = "repository.url carries credentials (a user name and password, a token as user "
            + "name, or a credential in the query). Runway does not take credentials in URLs: they would travel on the public "
            + "topic, in notifications and in the audit log. Give the URL without them and name a credential reference in "
            + "repository.credential instead: an operator-configured name (e.g. acme-github) that the validator and the "
            + "executor resolve from their own configuration.";

    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://");
    /** Schemes where a user name alone is the account, not a secret (ssh://git@host/...). */
    private static final Set<String> SSH = Set.of("ssh", "git+ssh", "ssh+git");
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i).*(token|passw(or)?d|pwd|secret|key|auth|credential|signature|sig).*");

    private RepositoryUrls() {
    }

    public static boolean carriesCredentials(String url) {
        if (url == null) {
            return false;
        }
        String s = url.strip();
        Matcher scheme = SCHEME.matcher(s);
        if (!scheme.find()) {
            // scp-like "user@host:path": a ':' before the '@' is a password ("user:pass@host:path").
            int at = s.indexOf('@');
            int colon = s.indexOf(':');
            boolean path = s.startsWith("/") || s.startsWith(".");
            return !path && at > 0 && colon >= 0 && colon < at;
        }
        String rest = s.substring(scheme.end());
        int end = firstOf(rest, "/?#");
        String authority = end < 0 ? rest : rest.substring(0, end);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = decoded(authority.substring(0, at));
            // A password, or, except for ssh, a user name alone: GitHub and others take a token there.
            if (userInfo == null || userInfo.contains(":") || !SSH.contains(scheme.group(1).toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        int query = rest.indexOf('?');
        if (query >= 0) {
            int fragment = rest.indexOf('#', query);
            String parameters = fragment < 0 ? rest.substring(query + 1) : rest.substring(query + 1, fragment);
            for (String parameter : parameters.split("[&;]")) {
                String name = decoded(parameter.split("=", 2)[0]);
                if (name == null || SECRET_PARAMETER.matcher(name).matches()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int firstOf(String s, String chars) {
        int first = -1;
        for (char c : chars.toCharArray()) {
            int i = s.indexOf(c);
            if (i >= 0 && (first < 0 || i < first)) {
                first = i;
            }
        }
        return first;
    }

    /** Percent-decoded text, or null when it is malformed (then it is treated as a credential, to be safe). */
    private static String decoded(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

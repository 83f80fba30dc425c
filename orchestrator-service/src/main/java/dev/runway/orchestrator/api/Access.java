package dev.runway.orchestrator.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonString;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.runway.access.ProjectScope;
import io.quarkus.panache.common.Parameters;

/**
 * Which projects the caller works for, from the token's {@value ProjectScope#CLAIM} claim. Resources read
 * the scope once at the start of a request (the token is request-scoped) and hand the value on, so checks
 * made later on another thread still see it. A token without the claim works for no project.
 */
@ApplicationScoped
public class Access {

    private final JsonWebToken jwt;

    public Access(JsonWebToken jwt) {
        this.jwt = jwt;
    }

    /** The caller's scope; a malformed claim is refused as a 403 naming the claim. */
    public ProjectScope scope() {
        Object claim = jwt.getClaim(ProjectScope.CLAIM);
        List<String> values = new ArrayList<>();
        if (claim instanceof Collection<?> items) {
            items.forEach(item -> values.add(item instanceof JsonString s ? s.getString() : String.valueOf(item)));
        } else if (claim instanceof JsonString s) {
            values.add(s.getString());
        } else if (claim instanceof String s) {
            values.add(s);
        }
        try {
            return ProjectScope.of(values);
        } catch (IllegalArgumentException e) {
            throw ProblemException.forbidden(e.getMessage());
        }
    }

    /** Refuses (403 naming the project) unless the scope covers the project of this client. */
    public static void require(ProjectScope scope, String client, String project) {
        if (!scope.allows(client, project)) {
            throw refused(client, project);
        }
    }

    public static ProblemException refused(String client, String project) {
        return new ProblemException(403, "Forbidden", "your token's " + ProjectScope.CLAIM + " claim does not cover project '"
                + project + "'" + (client == null ? " (no client known: only agency-wide tokens may act on it)"
                        : " of client '" + client + "'"), "project");
    }

    /** Whether the scope names the client at all (every project of it, or some). */
    public static boolean mentionsClient(ProjectScope scope, String client) {
        if (scope.isAgencyWide()) {
            return true;
        }
        String c = client.toLowerCase(Locale.ROOT) + "/";
        return scope.patterns().stream().anyMatch(p -> p.startsWith(c));
    }

    /**
     * An HQL condition that keeps rows the scope covers, so lists are filtered in the query (before paging),
     * never after. {@code client} and {@code project} are the columns' paths in the query.
     */
    public static String where(ProjectScope scope, String client, String project, Parameters params) {
        if (scope.isAgencyWide()) {
            return "1 = 1";
        }
        List<String> clients = new ArrayList<>();
        List<String> ors = new ArrayList<>();
        int i = 0;
        for (String pattern : scope.patterns()) {
            int slash = pattern.indexOf('/');
            String c = pattern.substring(0, slash);
            String p = pattern.substring(slash + 1);
            if (p.equals("*")) {
                clients.add(c);
            } else {
                ors.add("(lower(" + client + ") = :scopeClient" + i + " and lower(" + project + ") = :scopeProject" + i + ")");
                params.and("scopeClient" + i, c).and("scopeProject" + i, p);
                i++;
            }
        }
        if (!clients.isEmpty()) {
            ors.add("lower(" + client + ") in :scopeClients");
            params.and("scopeClients", clients);
        }
        return ors.isEmpty() ? "1 = 0" : "(" + String.join(" or ", ors) + ")";
    }
}

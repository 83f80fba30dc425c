package dev.runway.notifier.access;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.runway.access.ProjectScope;
import io.quarkus.security.ForbiddenException;

/** The projects the caller's token allows (its runway_projects claim); a token without the claim sees nothing. */
public final class CallerScope {

    private CallerScope() {
    }

    public static ProjectScope of(JsonWebToken token) {
        Object claim = token == null ? null : token.getClaim(ProjectScope.CLAIM);
        try {
            return ProjectScope.of(strings(claim));
        } catch (IllegalArgumentException e) {
            // A malformed claim is the issuer's mistake; refuse rather than guess what it meant.
            throw new ForbiddenException(e.getMessage());
        }
    }

    /** The claim as strings, whichever JSON form the JWT library hands it over in. */
    static List<String> strings(Object claim) {
        List<String> out = new ArrayList<>();
        if (claim == null) {
            return out;
        }
        if (claim instanceof JsonArray array) {
            for (JsonValue v : array) {
                out.add(v instanceof JsonString s ? s.getString() : v.toString());
            }
        } else if (claim instanceof Collection<?> c) {
            c.forEach(v -> out.add(v instanceof JsonString s ? s.getString() : String.valueOf(v)));
        } else if (claim instanceof JsonString s) {
            out.add(s.getString());
        } else {
            out.add(String.valueOf(claim));
        }
        return out;
    }

    /** Two SQL arrays to unnest side by side: one (client, project-or-*) pair per pattern; empty = nothing. */
    public static String[][] pairs(ProjectScope scope) {
        List<String> clients = new ArrayList<>();
        List<String> projects = new ArrayList<>();
        for (String p : scope.patterns()) {
            if (p.equals("*")) {
                continue;
            }
            int slash = p.indexOf('/');
            clients.add(p.substring(0, slash));
            projects.add(p.substring(slash + 1));
        }
        return new String[][] { clients.toArray(String[]::new), projects.toArray(String[]::new) };
    }
}

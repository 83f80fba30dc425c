package dev.runway.healthwatcher.web;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.runway.access.ProjectScope;
import io.quarkus.security.ForbiddenException;

/** The projects the caller's token allows (its runway_projects claim); a token without the claim sees nothing. */
public final class CallerScope {

    private CallerScope() {
    }

    public static ProjectScope of(JsonWebToken token) {
        try {
            return ProjectScope.ofClaim(token == null ? null : token.getClaim(ProjectScope.CLAIM));
        } catch (IllegalArgumentException e) {
            // A malformed claim is the issuer's mistake; refuse rather than guess what it meant.
            throw new ForbiddenException(e.getMessage());
        }
    }
}

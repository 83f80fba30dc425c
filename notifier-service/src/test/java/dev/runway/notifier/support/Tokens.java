package dev.runway.notifier.support;

import java.util.List;
import java.util.Set;

import dev.runway.access.ProjectScope;
import io.smallrye.jwt.build.Jwt;

/** Bearer tokens signed with the test key (src/test/resources/dev-keys), as the identity provider would issue them. */
public final class Tokens {

    private Tokens() {
    }

    /** A token for {@code projects} (runway_projects patterns; none = the claim is left out) with {@code roles}. */
    public static String of(String user, List<String> projects, String... roles) {
        var claims = Jwt.issuer("https://runway.dev").upn(user).groups(Set.of(roles)).expiresIn(3600);
        if (!projects.isEmpty()) {
            claims.claim(ProjectScope.CLAIM, projects);
        }
        return claims.sign("dev-keys/privateKey.pem");
    }

    public static String bearer(String user, List<String> projects, String... roles) {
        return "Bearer " + of(user, projects, roles);
    }

    /** Agency-wide SRE: sees every project. */
    public static String sre() {
        return bearer("sam", List.of("*"), "sre");
    }
}

package dev.runway.orchestrator.support;

import java.util.List;
import java.util.Set;

import dev.runway.access.ProjectScope;
import io.smallrye.jwt.build.Jwt;

/**
 * Bearer tokens signed with the test key (src/test/resources/dev-keys), as an identity provider would issue them.
 * {@link #of} and {@link #bearer} are agency-wide ({@code runway_projects: ["*"]}); {@link #scoped} names the
 * projects ({@code "acme/*"}, {@code "globex/shop"}), and {@link #unscoped} carries no claim (works for no project).
 */
public final class Tokens {

    private Tokens() {
    }

    public static String of(String user, String... roles) {
        return sign(user, List.of("*"), roles);
    }

    public static String bearer(String user, String... roles) {
        return "Bearer " + of(user, roles);
    }

    /** A bearer token whose holder works only for {@code projects} (patterns of the runway_projects claim). */
    public static String scoped(String user, List<String> projects, String... roles) {
        return "Bearer " + sign(user, projects, roles);
    }

    /** A bearer token without the runway_projects claim. */
    public static String unscoped(String user, String... roles) {
        return "Bearer " + sign(user, null, roles);
    }

    private static String sign(String user, List<String> projects, String... roles) {
        var builder = Jwt.issuer("https://runway.dev").upn(user).groups(Set.of(roles)).expiresIn(3600);
        if (projects != null) {
            builder = builder.claim(ProjectScope.CLAIM, projects);
        }
        return builder.sign("dev-keys/privateKey.pem");
    }
}

package dev.runway.testsupport;

import java.util.List;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * Bearer tokens signed with the development key (repository root dev-keys/, on the test classpath as
 * dev-keys/privateKey.pem), as the agency's identity provider would issue them: issuer https://runway.dev,
 * audience {@value #AUDIENCE}, roles in "groups". {@link #of} and {@link #bearer} are agency-wide
 * ({@code runway_projects: ["*"]}); {@link #scoped} names the projects ({@code "acme/*"}, {@code "globex/shop"}),
 * {@link #unscoped} carries no claim (works for no project). One class for every service's tests.
 */
public final class Tokens {

    public static final String ISSUER = "https://runway.dev";
    public static final String AUDIENCE = "runway";
    /** The claim dev.runway.access.ProjectScope reads. */
    public static final String PROJECTS_CLAIM = "runway_projects";
    private static final String KEY = "dev-keys/privateKey.pem";

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

    /** A token for {@code projects} (runway_projects patterns; none = the claim is left out) with {@code roles}. */
    public static String of(String user, List<String> projects, String... roles) {
        return sign(user, projects.isEmpty() ? null : projects, roles);
    }

    public static String bearer(String user, List<String> projects, String... roles) {
        return "Bearer " + of(user, projects, roles);
    }

    /** Agency-wide SRE: sees every project. */
    public static String sre() {
        return bearer("sam", List.of("*"), "sre");
    }

    /** A bearer token without the runway_projects claim. */
    public static String unscoped(String user, String... roles) {
        return "Bearer " + sign(user, null, roles);
    }

    /** An agency-wide token that names no audience, or another one: every service must refuse it. */
    public static String withAudience(String audience, String user, String... roles) {
        JwtClaimsBuilder builder = Jwt.issuer(ISSUER).upn(user).groups(Set.of(roles)).expiresIn(3600)
                .claim(PROJECTS_CLAIM, List.of("*"));
        if (audience != null) {
            builder = builder.audience(audience);
        }
        return "Bearer " + builder.sign(KEY);
    }

    private static String sign(String user, List<String> projects, String... roles) {
        JwtClaimsBuilder builder = Jwt.issuer(ISSUER).audience(AUDIENCE).upn(user).groups(Set.of(roles)).expiresIn(3600);
        if (projects != null) {
            builder = builder.claim(PROJECTS_CLAIM, projects);
        }
        return builder.sign(KEY);
    }
}

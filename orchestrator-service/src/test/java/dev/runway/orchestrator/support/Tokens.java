package dev.runway.orchestrator.support;

import java.util.Set;

import io.smallrye.jwt.build.Jwt;

/** Bearer tokens signed with the test key (src/test/resources/dev-keys), as an identity provider would issue them. */
public final class Tokens {

    private Tokens() {
    }

    public static String of(String user, String... roles) {
        return Jwt.issuer("https://runway.dev").upn(user).groups(Set.of(roles)).expiresIn(3600)
                .sign("dev-keys/privateKey.pem");
    }

    public static String bearer(String user, String... roles) {
        return "Bearer " + of(user, roles);
    }
}

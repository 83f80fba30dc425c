package dev.runway.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Bearer tokens from stack/bin/Token.java, the one implementation {@code ./runway token} uses too: signed with the
 * local key pair {@code ./runway} generated in the state directory (jwt/), which the services it started trust.
 */
final class Tokens {

    private final Path root;
    private final Path state;

    Tokens(Path root, Path state) {
        this.root = root;
        this.state = state;
    }

    /** A token for the user with the roles, over the projects ({@code runway_projects}: {@code <client>/*} or {@code <client>/<project>}). */
    String of(String user, String roles, String projects) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("java", root.resolve("stack/bin/Token.java").toString(),
                state.resolve("jwt/privateKey.pem").toString(), user, roles, projects)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String token = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0 || token.isEmpty()) {
            throw new IOException("stack/bin/Token.java gave no token for " + user);
        }
        return token;
    }
}

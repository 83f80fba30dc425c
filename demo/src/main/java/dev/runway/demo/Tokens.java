package dev.runway.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Development bearer tokens from stack/bin/Token.java, the one implementation {@code ./runway token} and the
 * end-to-end test use too: signed with the test key the local orchestrator trusts.
 */
final class Tokens {

    private final Path root;

    Tokens(Path root) {
        this.root = root;
    }

    /** A token for the user with the roles, over the projects ({@code runway_projects}: {@code <client>/*} or {@code <client>/<project>}). */
    String of(String user, String roles, String projects) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("java", root.resolve("stack/bin/Token.java").toString(),
                root.resolve("orchestrator-service/src/test/resources/dev-keys/privateKey.pem").toString(), user, roles, projects)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String token = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0 || token.isEmpty()) {
            throw new IOException("stack/bin/Token.java gave no token for " + user);
        }
        return token;
    }
}

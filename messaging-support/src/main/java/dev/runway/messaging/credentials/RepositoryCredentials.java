package dev.runway.messaging.credentials;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.Config;

/**
 * Resolves a repository credential reference (issue 15 item 6): the request names an operator-configured credential
 * ({@code repository.credential: acme-github}); only the validator and the executor, which clone, turn the name into
 * the secret, each from its own configuration. The name travels on topics, the secret never does. For a name
 * {@code acme-github}, the first of these that is set wins:
 * <ol>
 * <li>properties {@code runway.repositories.credentials.acme-github.token} (with an optional {@code .username}, default
 * {@value #TOKEN_USER}), or {@code .username} and {@code .password} (also as the environment variables
 * {@code RUNWAY_REPOSITORIES_CREDENTIALS_ACME_GITHUB_TOKEN}, ..., by MicroProfile Config's rule);</li>
 * <li>environment variables {@code RUNWAY_REPO_CREDENTIAL_ACME_GITHUB_TOKEN}, or {@code _USERNAME} and
 * {@code _PASSWORD};</li>
 * <li>files {@code <runway.repositories.credentials-dir>/acme-github/token}, or {@code username} and {@code password}
 * (a Kubernetes secret mounted as a directory; surrounding whitespace is dropped).</li>
 * </ol>
 * Nothing here logs, and {@link Credential#toString()} shows the name only.
 */
public final class RepositoryCredentials {

    /** A credential reference: lower-case letters, digits and '-', 1 to 63 characters (as the orchestrator's API takes it). */
    public static final Pattern NAME = Pattern.compile("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$");
    /** The user name sent with a token when none is configured (GitHub takes any; GitLab and Gitea take a token as the password too). */
    public static final String TOKEN_USER = "x-access-token";
    public static final String PREFIX = "runway.repositories.credentials.";
    public static final String DIR_PROPERTY = "runway.repositories.credentials-dir";
    public static final String ENV_PREFIX = "RUNWAY_REPO_CREDENTIAL_";

    /** A resolved credential: what goes into a JGit CredentialsProvider, never into a URL, a log or an event. */
    public record Credential(String name, String username, String password) {
        @Override
        public String toString() {
            return "credential " + name;
        }

        /** The secret values, for {@code Redaction.redact(text, secrets())} of any text that might quote them. */
        public List<String> secrets() {
            return List.of(password);
        }
    }

    /** Why a reference cannot be used; the message names the reference and where it was looked for, never a value. */
    public static final class UnknownCredentialException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnknownCredentialException(String message) {
            super(message);
        }
    }

    private final Function<String, Optional<String>> properties;
    private final Map<String, String> env;
    private final Optional<Path> dir;

    public RepositoryCredentials(Function<String, Optional<String>> properties, Map<String, String> env, Optional<Path> dir) {
        this.properties = properties;
        this.env = env;
        this.dir = dir;
    }

    /** From the service's configuration and the process environment. */
    public static RepositoryCredentials of(Config config) {
        return new RepositoryCredentials(key -> config.getOptionalValue(key, String.class), System.getenv(),
                config.getOptionalValue(DIR_PROPERTY, String.class).filter(s -> !s.isBlank()).map(Path::of));
    }

    /**
     * The credential {@code name} refers to.
     *
     * @throws UnknownCredentialException when the name is not a credential name or nothing is configured for it
     */
    public Credential resolve(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new UnknownCredentialException("repository credential reference '" + shown(name)
                    + "' is not a credential name (lower-case letters, digits and '-')");
        }
        Optional<Credential> found = fromProperties(name).or(() -> fromEnv(name)).or(() -> fromFiles(name));
        return found.orElseThrow(() -> new UnknownCredentialException("repository credential reference '" + name
                + "' is not configured here (looked for " + PREFIX + name + ".token or .username/.password, environment "
                + envName(name) + "TOKEN or _USERNAME/_PASSWORD" + dir.map(d -> ", files " + d.resolve(name) + "/token or username/password")
                        .orElse("; " + DIR_PROPERTY + " is not set") + ")"));
    }

    private Optional<Credential> fromProperties(String name) {
        return credential(name, properties.apply(PREFIX + name + ".username"), properties.apply(PREFIX + name + ".password"),
                properties.apply(PREFIX + name + ".token"));
    }

    private Optional<Credential> fromEnv(String name) {
        String prefix = envName(name);
        return credential(name, Optional.ofNullable(env.get(prefix + "USERNAME")), Optional.ofNullable(env.get(prefix + "PASSWORD")),
                Optional.ofNullable(env.get(prefix + "TOKEN")));
    }

    private Optional<Credential> fromFiles(String name) {
        if (dir.isEmpty()) {
            return Optional.empty();
        }
        Path base = dir.get().resolve(name);
        return credential(name, file(base.resolve("username")), file(base.resolve("password")), file(base.resolve("token")));
    }

    private static Optional<Credential> credential(String name, Optional<String> username, Optional<String> password,
            Optional<String> token) {
        Optional<String> user = username.map(String::strip).filter(s -> !s.isEmpty());
        Optional<String> t = token.map(String::strip).filter(s -> !s.isEmpty());
        if (t.isPresent()) {
            return Optional.of(new Credential(name, user.orElse(TOKEN_USER), t.get()));
        }
        Optional<String> p = password.filter(s -> !s.isEmpty());
        if (user.isPresent() && p.isPresent()) {
            return Optional.of(new Credential(name, user.get(), p.get()));
        }
        return Optional.empty();
    }

    private static Optional<String> file(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static String envName(String name) {
        return ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('-', '_') + "_";
    }

    private static String shown(String name) {
        if (name == null) {
            return "";
        }
        // A value pasted where the name belongs must not be echoed whole.
        return name.length() > 8 ? name.substring(0, 4) + "…" : name;
    }
}

package dev.runway.messaging.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.runway.messaging.credentials.RepositoryCredentials.Credential;
import dev.runway.messaging.credentials.RepositoryCredentials.UnknownCredentialException;

/** A credential reference resolves from properties, then the environment, then files; an unknown one names itself only. */
class RepositoryCredentialsTest {

    @TempDir
    Path dir;

    @Test
    void resolvesFromPropertiesThenEnvironmentThenFiles() throws IOException {
        Map<String, String> properties = Map.of(
                "runway.repositories.credentials.acme-github.token", "tok-from-properties",
                "runway.repositories.credentials.globex-gitlab.username", "deployer",
                "runway.repositories.credentials.globex-gitlab.password", "pw-from-properties");
        Map<String, String> env = Map.of("RUNWAY_REPO_CREDENTIAL_ACME_GITHUB_TOKEN", "tok-from-env",
                "RUNWAY_REPO_CREDENTIAL_NOVA_GITEA_TOKEN", "tok-from-env",
                "RUNWAY_REPO_CREDENTIAL_NOVA_GITEA_USERNAME", "nova");
        Files.createDirectories(dir.resolve("initech-git"));
        Files.writeString(dir.resolve("initech-git/token"), "tok-from-file\n");
        RepositoryCredentials credentials = new RepositoryCredentials(k -> Optional.ofNullable(properties.get(k)), env, Optional.of(dir));

        assertEquals(new Credential("acme-github", RepositoryCredentials.TOKEN_USER, "tok-from-properties"),
                credentials.resolve("acme-github"), "properties win over the environment");
        assertEquals(new Credential("globex-gitlab", "deployer", "pw-from-properties"), credentials.resolve("globex-gitlab"));
        assertEquals(new Credential("nova-gitea", "nova", "tok-from-env"), credentials.resolve("nova-gitea"));
        assertEquals(new Credential("initech-git", RepositoryCredentials.TOKEN_USER, "tok-from-file"), credentials.resolve("initech-git"));
        assertEquals("credential initech-git", credentials.resolve("initech-git").toString(), "never the secret");
    }

    @Test
    void anUnknownReferenceNamesItselfAndWhereItWasLookedForButNoValue() {
        Map<String, String> env = Map.of("RUNWAY_REPO_CREDENTIAL_ACME_GITHUB_USERNAME", "only-a-user");
        RepositoryCredentials credentials = new RepositoryCredentials(k -> Optional.empty(), env, Optional.empty());
        UnknownCredentialException unknown = assertThrows(UnknownCredentialException.class, () -> credentials.resolve("acme-github"));
        assertTrue(unknown.getMessage().startsWith("repository credential reference 'acme-github' is not configured here"),
                unknown.getMessage());
        assertTrue(unknown.getMessage().contains("RUNWAY_REPO_CREDENTIAL_ACME_GITHUB_TOKEN"), unknown.getMessage());
        assertFalse(unknown.getMessage().contains("only-a-user"));

        String pasted = "ghp_0123456789abcdefghijABCDEFGHIJ0123";
        UnknownCredentialException notAName = assertThrows(UnknownCredentialException.class, () -> credentials.resolve(pasted));
        assertFalse(notAName.getMessage().contains(pasted.substring(4)), notAName.getMessage());
        assertThrows(UnknownCredentialException.class, () -> credentials.resolve("../acme"));
    }
}

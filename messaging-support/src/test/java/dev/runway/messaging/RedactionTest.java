package dev.runway.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

/** What the one redaction function takes out of text, and what it leaves alone. */
class RedactionTest {

    @Test
    void stripsUserInfoFromEveryUrlButKeepsTheRest() {
        assertEquals("repository https://***@git.example.com/acme/shop.git could not be cloned",
                Redaction.redact("repository https://deployer:ghs-T0KEN-value@git.example.com/acme/shop.git could not be cloned"));
        assertEquals("ssh://***@git.example.com:22/acme.git and http://***@10.0.0.1/",
                Redaction.redact("ssh://git@git.example.com:22/acme.git and http://token@10.0.0.1/"));
        assertEquals("https://git.example.com/acme/shop.git", Redaction.redact("https://git.example.com/acme/shop.git"));
    }

    @Test
    void masksBearerAndBasicCredentials() {
        assertEquals("Authorization: Bearer ***", Redaction.redact("Authorization: Bearer eyJhbGciOi.abc-def_123"));
        assertEquals("Authorization: Basic ***", Redaction.redact("Authorization: Basic dXNlcjpwYXNzd29yZA=="));
        assertEquals("use Basic authentication", Redaction.redact("use Basic authentication"));
    }

    @Test
    void masksValuesOfSecretLookingKeys() {
        assertEquals("password=*** user=alice", Redaction.redact("password=hunter22 user=alice"));
        assertEquals("DB_PASSWORD=*** RUNWAY_STAGING_DATABASE_PASSWORD=***",
                Redaction.redact("DB_PASSWORD=s3cr3t RUNWAY_STAGING_DATABASE_PASSWORD=other"));
        assertEquals("{\"token\": \"***\", \"name\": \"web\"}", Redaction.redact("{\"token\": \"abc123\", \"name\": \"web\"}"));
        assertEquals("https://h.example.com/x?access_token=***&page=2&sig=***",
                Redaction.redact("https://h.example.com/x?access_token=abc&page=2&sig=deadbeef"));
        assertEquals("client_secret: *** api-key=***", Redaction.redact("client_secret: xyz api-key=k-1"));
        assertEquals("X-Amz-Signature=***", Redaction.redact("X-Amz-Signature=0f3a9b"));
    }

    @Test
    void masksTokensRecognisableByTheirForm() {
        assertEquals("post to https://hooks.slack.com/services/*** failed",
                Redaction.redact("post to https://hooks.slack.com/services/T0001/B0001/XXXXsecretXXXX failed"));
        assertEquals("xoxb-***", Redaction.redact("xoxb-1234567890-abcdefghij"));
        assertEquals("clone with ***", Redaction.redact("clone with ghp_abcdefghijklmnopqrstuvwxyz0123456789"));
        assertEquals("glpat-***", Redaction.redact("glpat-abcdefghijklmnopqrstu"));
        assertEquals("key AKIA***", Redaction.redact("key AKIAIOSFODNN7EXAMPLE"));
        assertEquals("token *** end", Redaction.redact("token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl end"));
        String pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nIBAAK\n-----END RSA PRIVATE KEY-----";
        assertEquals("-----BEGIN RSA PRIVATE KEY-----***-----END RSA PRIVATE KEY-----", Redaction.redact(pem));
    }

    @Test
    void leavesOrdinaryLifecycleTextAlone() {
        for (String text : List.of("STALE_LOCK: fencing token 0 is older than 3",
                "env.no-committed-secrets (config/staging.env): config/staging.env:3 JWT_SECRET holds a literal secret value",
                "✅ Production deployment successful", "error rate 12.5% > 10%", "Check: http://runway.test/deployments/d-1")) {
            assertEquals(text, Redaction.redact(text));
        }
        assertNull(Redaction.redact(null));
    }

    @Test
    void replacesKnownSecretsLongestFirstAndIgnoresTinyOnes() {
        String url = "https://hooks.example.com/t/abc123secret";
        assertEquals("send to *** with *** failed (key x)",
                Redaction.redact("send to " + url + " with smtp-pass-1 failed (key x)", List.of("abc123secret", url, "smtp-pass-1", "x")));
    }

    @Test
    void cutsUrlsDownToSchemeHostAndPortWhenThePathMayBeTheSecret() {
        assertEquals("https://hooks.example.com/…", Redaction.hostOnly("https://hooks.example.com/services/T00/B00/XXXX"));
        assertEquals("http://127.0.0.1:8099/…", Redaction.hostOnly("http://user:pw@127.0.0.1:8099/hook?token=abc"));
        assertEquals(Redaction.MASK, Redaction.hostOnly("not a url"));
        String scrubbed = Redaction.redactWithHostOnlyUrls("connect to https://hooks.example.com/t/abc123secret failed; key=s", List.of());
        assertEquals("connect to https://hooks.example.com/… failed; key=s", scrubbed);
    }

    @Test
    void isIdempotent() {
        String text = "https://u:p@h.example.com/?token=abc Bearer abcdefghijkl password=x xoxp-1234567890-abc";
        String once = Redaction.redact(text);
        assertEquals(once, Redaction.redact(once));
        assertFalse(once.contains("abcdefghijkl"));
    }
}

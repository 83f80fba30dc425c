package dev.runway.notifier.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void shouldKeepOnlySchemeHostAndPortOfAUrl() {
        assertEquals("https://hooks.slack.com/…", Secrets.maskUrl("https://hooks.slack.com/services/T00/B00/XXXXsecret"));
        assertEquals("http://127.0.0.1:8099/…", Secrets.maskUrl("http://127.0.0.1:8099/hook?token=abc"));
        assertEquals("***", Secrets.maskUrl("not a url"));
    }

    @Test
    void shouldScrubUrlsAndKnownSecretsFromText() {
        String text = "connect to https://hooks.example.com/t/abc123secret failed; key=supersecret9 password smtp-pass-1";
        String scrubbed = Secrets.scrub(text, List.of("supersecret9", "smtp-pass-1"));
        assertEquals("connect to https://hooks.example.com/… failed; key=*** password ***", scrubbed);
        assertFalse(scrubbed.contains("abc123secret"));
    }

    @Test
    void shouldTellManifestWebhooksOfOneHostApart() {
        Target a = Target.manifestWebhook("https://hooks.example.com/a?token=1");
        Target b = Target.manifestWebhook("https://hooks.example.com/b?token=2");
        assertNotEquals(a.endpoint(), b.endpoint());
        assertFalse(a.endpoint().contains("token"));
    }
}

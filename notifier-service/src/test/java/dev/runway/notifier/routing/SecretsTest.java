package dev.runway.notifier.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void shouldTellManifestWebhooksOfOneHostApart() {
        Target a = Target.manifestWebhook("https://hooks.example.com/a?token=1");
        Target b = Target.manifestWebhook("https://hooks.example.com/b?token=2");
        assertNotEquals(a.endpoint(), b.endpoint());
        assertFalse(a.endpoint().contains("token"));
    }

    @Test
    void shouldShowAManifestWebhookAsSchemeHostAndPortOnly() {
        Target t = Target.manifestWebhook("https://user:pw@hooks.example.com:8443/t/abc?token=1");
        assertEquals("webhook:https://hooks.example.com:8443/…#" + Secrets.shortHash("https://user:pw@hooks.example.com:8443/t/abc?token=1"),
                t.endpoint());
    }
}

package dev.runway.notifier.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    @Test
    void shouldMatchTheDocumentedRecipe() {
        // Computed independently: printf '%s' '1700000000.{"a":1}' | openssl dgst -sha256 -hmac 'k3y' (README recipe).
        assertEquals("sha256=fd5a70e965043f7df6309c2c3b5ff5a8ffa99b1f5175e9a311459e73c4634d4a",
                WebhookSignature.sign("k3y", 1_700_000_000L, "{\"a\":1}"));
    }

    @Test
    void shouldChangeWithTimestampBodyAndKey() {
        String base = WebhookSignature.sign("k3y", 1_700_000_000L, "{\"a\":1}");
        assertNotEquals(base, WebhookSignature.sign("k3y", 1_700_000_001L, "{\"a\":1}"));
        assertNotEquals(base, WebhookSignature.sign("k3y", 1_700_000_000L, "{\"a\":2}"));
        assertNotEquals(base, WebhookSignature.sign("other", 1_700_000_000L, "{\"a\":1}"));
        assertEquals(base, WebhookSignature.sign("k3y", 1_700_000_000L, "{\"a\":1}"));
    }
}

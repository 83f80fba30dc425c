package dev.runway.notifier.delivery;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a generic webhook request: {@code sha256=} + hex HMAC-SHA256 over
 * {@code timestamp + "." + body} with the endpoint's secret. Signing the timestamp with the body lets a
 * receiver reject replays (an old timestamp cannot be swapped for a fresh one).
 */
public final class WebhookSignature {

    public static final String SIGNATURE_HEADER = "X-Runway-Signature";
    public static final String TIMESTAMP_HEADER = "X-Runway-Timestamp";
    public static final String EVENT_ID_HEADER = "X-Runway-Event-Id";
    public static final String EVENT_TYPE_HEADER = "X-Runway-Event-Type";
    public static final String DELIVERY_HEADER = "X-Runway-Delivery";

    private WebhookSignature() {
    }

    public static String sign(String secret, long timestampSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

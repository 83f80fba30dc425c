package dev.runway.notifier.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The receiver's side of the README recipe, written independently of the notifier's signer:
 * recompute HMAC-SHA256(secret, timestamp + "." + body), compare in constant time, reject stale timestamps.
 */
public final class Signatures {

    private Signatures() {
    }

    public static boolean verify(String secret, TestEndpoints.Request request, long toleranceSeconds) {
        String timestamp = request.header("X-Runway-Timestamp");
        String signature = request.header("X-Runway-Signature");
        if (timestamp == null || signature == null || !signature.startsWith("sha256=")) {
            return false;
        }
        long age = Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(timestamp));
        if (age > toleranceSeconds) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal((timestamp + "." + request.body()).getBytes(StandardCharsets.UTF_8));
            byte[] given = HexFormat.of().parseHex(signature.substring("sha256=".length()));
            return MessageDigest.isEqual(expected, given);
        } catch (Exception e) {
            return false;
        }
    }
}

package dev.runway.notifier.routing;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Webhook URLs carry their credential in the path or query (Slack's {@code /services/T/B/token}),
 * so they are shown as {@code scheme://host/…} everywhere a person or a log can see them.
 */
public final class Secrets {

    private static final Pattern URL = Pattern.compile("(?i)\\b(https?)://[^\\s\"'<>]+");

    private Secrets() {
    }

    /** {@code https://hooks.slack.com/services/T/B/x} → {@code https://hooks.slack.com/…}. */
    public static String maskUrl(String url) {
        try {
            URI uri = URI.create(url.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return "***";
            }
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + "/…";
        } catch (IllegalArgumentException e) {
            return "***";
        }
    }

    /** Masks every URL in {@code text} and blanks every known secret value. */
    public static String scrub(String text, Collection<String> knownSecrets) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : knownSecrets) {
            if (secret != null && secret.length() >= 4) {
                out = out.replace(secret, "***");
            }
        }
        Matcher m = URL.matcher(out);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(maskUrl(m.group())));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** First 10 hex digits of SHA-256: tells two URLs of one host apart without revealing them. */
    public static String shortHash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256Hex(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

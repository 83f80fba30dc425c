package dev.runway.notifier.routing;

import dev.runway.messaging.Redaction;

/**
 * One place a notification is delivered to. {@code endpoint} identifies it without secrets
 * ({@code slack:#deployments}, {@code email:ops@example.com}, {@code webhook:audit},
 * {@code webhook:https://hooks.example.com/…#1a2b3c4d5e}); the URL behind it is looked up only when sending.
 */
public record Target(Channel channel, String endpoint) {

    public static Target slack(String channelName) {
        return new Target(Channel.SLACK, "slack:" + channelName);
    }

    public static Target email(String address) {
        return new Target(Channel.EMAIL, "email:" + address);
    }

    public static Target configuredWebhook(String name) {
        return new Target(Channel.WEBHOOK, "webhook:" + name);
    }

    public static Target manifestWebhook(String url) {
        return new Target(Channel.WEBHOOK, "webhook:" + Redaction.hostOnly(url) + "#" + Secrets.shortHash(url));
    }

    /** The part after {@code channel:}. */
    public String address() {
        return endpoint.substring(endpoint.indexOf(':') + 1);
    }
}

package dev.runway.notifier.delivery;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.ConfigProvider;

import dev.runway.notifier.NotifierConfig;
import dev.runway.messaging.Redaction;

/**
 * Every configured secret (webhook URLs and keys, SMTP password), to blank them out of what the notifier stores,
 * logs and sends. Both views go through messaging-support's {@link Redaction}, the one redaction function.
 */
@ApplicationScoped
public class SecretValues {

    private final List<String> values;

    public SecretValues(NotifierConfig config) {
        List<String> v = new ArrayList<>();
        config.slack().channels().values().forEach(v::add);
        config.slack().defaultWebhookUrl().ifPresent(v::add);
        config.webhooks().values().forEach(w -> {
            v.add(w.url());
            v.add(w.secret());
        });
        config.manifestWebhooks().secret().ifPresent(v::add);
        ConfigProvider.getConfig().getOptionalValue("quarkus.mailer.password", String.class).ifPresent(v::add);
        this.values = List.copyOf(v);
    }

    /**
     * For errors and logs: credentials and configured secrets out, and every URL cut to scheme://host/… (a
     * receiver's URL may carry its token in the path, where no pattern can see it).
     */
    public String scrub(String text) {
        return Redaction.redactWithHostOnlyUrls(text, values);
    }

    /** For what is sent and stored as a notification: credentials and configured secrets out, links kept. */
    public String redact(String text) {
        return Redaction.redact(text, values);
    }
}

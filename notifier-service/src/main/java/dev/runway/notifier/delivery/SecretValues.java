package dev.runway.notifier.delivery;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.ConfigProvider;

import dev.runway.notifier.NotifierConfig;
import dev.runway.notifier.routing.Secrets;

/** Every configured secret (webhook URLs and keys, SMTP password), to blank them out of stored errors and logs. */
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
        // Longest first, so a URL is replaced whole before a shorter secret inside it.
        v.sort((a, b) -> Integer.compare(b.length(), a.length()));
        this.values = List.copyOf(v);
    }

    public String scrub(String text) {
        return Secrets.scrub(text, values);
    }
}

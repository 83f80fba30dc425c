package dev.runway.notifier.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Real endpoints for the notifier's channels: an HTTP server (Slack incoming webhook, generic
 * webhooks) and GreenMail as the SMTP server. Their addresses and the (fake) secrets go into the
 * notifier's configuration, so tests can check that secrets never leak; the HTTP server's loopback port
 * goes into the outbound allowlist.
 */
public class NotifierEndpointsResource implements QuarkusTestResourceLifecycleManager {

    public static final String SLACK_TOKEN = "slack-token-S3CRET-9c1d";
    public static final String AUDIT_URL_TOKEN = "audit-url-S3CRET-55aa";
    public static final String AUDIT_KEY = "audit-signing-key-S3CRET-e41";
    public static final String MANIFEST_KEY = "test-manifest-signing-key-7f3a";
    public static final String SMTP_USER = "notifier";
    public static final String SMTP_PASSWORD = "smtp-password-S3CRET-d00d";

    private TestEndpoints endpoints;
    private GreenMail greenMail;

    @Override
    public Map<String, String> start() {
        try {
            endpoints = new TestEndpoints();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        greenMail = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.setUser(SMTP_USER, SMTP_PASSWORD);
        greenMail.start();
        Map<String, String> config = new HashMap<>();
        config.put("runway.notifier.slack.default-webhook-url", endpoints.baseUrl() + "/slack/T0001/B0001/" + SLACK_TOKEN);
        config.put("runway.notifier.webhooks.audit.url", endpoints.baseUrl() + "/audit/" + AUDIT_URL_TOKEN);
        config.put("runway.notifier.webhooks.audit.secret", AUDIT_KEY);
        config.put("quarkus.mailer.host", "127.0.0.1");
        config.put("quarkus.mailer.port", String.valueOf(greenMail.getSmtp().getPort()));
        config.put("quarkus.mailer.username", SMTP_USER);
        config.put("quarkus.mailer.password", SMTP_PASSWORD);
        // The receivers listen on loopback, which deliveries may reach only when the allowlist names it: this one
        // port is named, so any other loopback port stays refused (OutboundFetchTest).
        config.put("runway.notifier.outbound.allow", "127.0.0.1:" + endpoints.port());
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(endpoints, new TestInjector.AnnotatedAndMatchesType(InjectEndpoints.class, TestEndpoints.class));
        injector.injectIntoFields(greenMail, new TestInjector.AnnotatedAndMatchesType(InjectEndpoints.class, GreenMail.class));
    }

    @Override
    public void stop() {
        if (endpoints != null) {
            endpoints.stop();
        }
        if (greenMail != null) {
            greenMail.stop();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.runway.notifier.routing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.runway.access.ProjectNames;
import dev.runway.notifier.NotifierConfig;
import dev.runway.notifier.NotifierConfig.EnvironmentRule;

/**
 * Who hears about a notice: the rule of its project environment (a project's own, else the environment's) decides whether (event types, minimum
 * severity); the deployment's manifest ({@code deployment.notifications}) decides where, falling back to
 * the environment's default Slack channel and e-mail list, plus the environment's configured webhooks.
 */
@ApplicationScoped
public class Router {

    private static final Logger LOG = Logger.getLogger(Router.class);

    private final NotifierConfig config;

    public Router(NotifierConfig config) {
        this.config = config;
    }

    public List<Target> targets(Notice notice, DeploymentContext ctx) {
        EnvironmentRule rule = rule(notice.project(), notice.environment().name().toLowerCase(Locale.ROOT));
        if (rule == null || !announces(rule, notice)) {
            return List.of();
        }
        Set<Target> targets = new LinkedHashSet<>();
        ManifestNotifications routing = ctx.routing();

        Optional<String> slack = routing.slack().or(rule::slack);
        slack.ifPresent(channel -> {
            if (slackUrl(channel).isPresent()) {
                targets.add(Target.slack(channel));
            } else {
                LOG.debugf("no Slack webhook configured for %s; skipping it for %s", channel, notice.eventType());
            }
        });

        List<String> emails = routing.emails().isEmpty() ? rule.email().orElse(List.of()) : routing.emails();
        emails.forEach(address -> targets.add(Target.email(address)));

        if (config.manifestWebhooks().secret().isPresent()) {
            routing.webhooks().forEach(url -> targets.add(Target.manifestWebhook(url)));
        }
        rule.webhooks().orElse(List.of()).forEach(name -> {
            if (config.webhooks().containsKey(name)) {
                targets.add(Target.configuredWebhook(name));
            } else {
                LOG.warnf("environment %s names webhook '%s' which is not configured", notice.environment(), name);
            }
        });
        return new ArrayList<>(targets);
    }

    /** The project environment's own rule when configured, else its environment's. */
    EnvironmentRule rule(String project, String environment) {
        NotifierConfig.ProjectRules own = null;
        try {
            own = config.projects().get(ProjectNames.safe(project));
        } catch (IllegalArgumentException e) {
            // A project name with nothing safe in it cannot have rules of its own.
        }
        if (own != null && own.environments().containsKey(environment)) {
            return own.environments().get(environment);
        }
        return config.environments().get(environment);
    }

    static boolean announces(EnvironmentRule rule, Notice notice) {
        Severity min = Severity.valueOf(rule.minSeverity().trim().toUpperCase(Locale.ROOT));
        boolean typeAllowed = rule.events().contains("*") || rule.events().contains(notice.eventType());
        return typeAllowed && notice.severity().atLeast(min);
    }

    /** The incoming-webhook URL of a Slack channel: its own, else the default one. */
    public Optional<String> slackUrl(String channel) {
        String name = channel.startsWith("#") ? channel.substring(1) : channel;
        return Optional.ofNullable(config.slack().channels().get(name)).or(() -> config.slack().defaultWebhookUrl());
    }
}

package dev.runway.notifier.routing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import dev.runway.events.Environment;

/**
 * One event as people read it, independent of the channel: a one-line headline (Slack's
 * {@code text}, the e-mail subject), a bold title and "• Label: value" lines (the seed's Slack
 * blocks), and for rollbacks the 003 incident message. This is all any channel sends, webhooks included:
 * public lifecycle facts, never the raw record (which may carry a manifest, a scan report or a repository URL).
 *
 * @param client the project's client (tenant): the record's, else the one remembered for the deployment; null = unknown
 * @param state where the deployment stands after the event ({@link Notices#state})
 * @param version the release the event is about, when known
 * @param dedupKey what makes two notifications "the same" for de-noising: no ids, times or measured values
 * @param link the deployment's page, when {@code deployment-link-base} is configured
 */
public record Notice(String eventId, String eventType, String deploymentId, Environment environment, String project,
        String client, Instant occurredAt, Severity severity, String state, String version, String headline, String title,
        List<Line> lines, Optional<String> incident, String dedupKey, Optional<String> link) {

    public record Line(String label, String value) {
    }

    /** The notice with every text passed through {@code redaction}, as it is stored and sent. */
    public Notice redacted(UnaryOperator<String> redaction) {
        return new Notice(eventId, eventType, deploymentId, environment, redaction.apply(project), redaction.apply(client),
                occurredAt, severity, state, redaction.apply(version), redaction.apply(headline), redaction.apply(title),
                lines.stream().map(l -> new Line(l.label(), redaction.apply(l.value()))).toList(),
                incident.map(redaction), redaction.apply(dedupKey), link.map(redaction));
    }
}

package dev.runway.notifier.routing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.runway.events.Environment;

/**
 * One event as people read it, independent of the channel: a one-line headline (Slack's
 * {@code text}, the e-mail subject), a bold title and "• Label: value" lines (the seed's Slack
 * blocks), and for rollbacks the 003 incident message. {@code event} is the full record as JSON-ready
 * values for webhooks.
 *
 * @param client the project's client (tenant): the record's, else the one remembered for the deployment; null = unknown
 * @param dedupKey what makes two notifications "the same" for de-noising: no ids, times or measured values
 */
public record Notice(String eventId, String eventType, String deploymentId, Environment environment, String project,
        String client, Instant occurredAt, Severity severity, String headline, String title, List<Line> lines,
        Optional<String> incident, String dedupKey, Map<String, Object> event) {

    public record Line(String label, String value) {
    }
}

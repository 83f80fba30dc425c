package dev.runway.notifier.render;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.runway.notifier.NotifierConfig;
import dev.runway.notifier.routing.Notice;
import dev.runway.notifier.routing.Target;

/**
 * How each channel says a {@link Notice}: Slack blocks modelled on sop.md 000-7.1, a plain-text
 * e-mail, and a JSON document of the same notice for generic webhooks. The result is stored with the delivery, so a
 * retry sends exactly what the first attempt sent.
 */
@ApplicationScoped
public class Renderer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final NotifierConfig config;

    public Renderer(NotifierConfig config) {
        this.config = config;
    }

    public Rendered render(Notice notice, Target target) {
        return switch (target.channel()) {
            case SLACK -> new Rendered(null, slack(notice, target.address()));
            case EMAIL -> new Rendered(config.email().subjectPrefix() + notice.headline(), email(notice));
            case WEBHOOK -> new Rendered(null, webhook(notice));
        };
    }

    /** {"text": headline, "channel": "#x", "blocks": [section(title + bullets), incident?, context]}. */
    static String slack(Notice n, String channel) {
        StringBuilder section = new StringBuilder("*").append(escape(n.title())).append('*');
        for (Notice.Line line : n.lines()) {
            section.append("\n• ").append(escape(line.label())).append(": ").append(escape(line.value()));
        }
        List<Object> blocks = new ArrayList<>();
        blocks.add(Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", section.toString())));
        n.incident().ifPresent(text -> blocks.add(
                Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", "```" + escape(text) + "```"))));
        blocks.add(Map.of("type", "context", "elements", List.of(Map.of("type", "mrkdwn",
                "text", escape(n.severity() + " · " + n.eventType() + " · deployment " + n.deploymentId() + " · " + n.occurredAt())))));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("text", escape(n.headline()));
        payload.put("channel", channel);
        payload.put("blocks", blocks);
        return json(payload);
    }

    static String email(Notice n) {
        StringBuilder body = new StringBuilder(n.title()).append("\n\n");
        for (Notice.Line line : n.lines()) {
            body.append("• ").append(line.label()).append(": ").append(line.value()).append('\n');
        }
        n.incident().ifPresent(text -> body.append('\n').append(text).append('\n'));
        body.append("\nSeverity: ").append(n.severity())
                .append("\nEnvironment: ").append(n.environment())
                .append("\nDeployment: ").append(n.deploymentId())
                .append("\nEvent: ").append(n.eventType()).append(' ').append(n.eventId())
                .append("\nAt: ").append(n.occurredAt()).append('\n');
        return body.toString();
    }

    /**
     * The generic webhook document: the rendered notice, the same public lifecycle facts Slack and e-mail carry,
     * never the raw record. Receivers verify X-Runway-Signature over timestamp + "." + this body.
     */
    static String webhook(Notice n) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("eventId", n.eventId());
        doc.put("type", n.eventType());
        doc.put("deploymentId", n.deploymentId());
        doc.put("project", n.project());
        doc.put("client", n.client());
        doc.put("environment", n.environment().name());
        doc.put("state", n.state());
        doc.put("version", n.version());
        doc.put("occurredAt", n.occurredAt().toString());
        doc.put("severity", n.severity().name());
        doc.put("summary", n.headline());
        doc.put("title", n.title());
        List<Map<String, String>> details = new ArrayList<>();
        for (Notice.Line line : n.lines()) {
            Map<String, String> detail = new LinkedHashMap<>();
            detail.put("label", line.label());
            detail.put("value", line.value());
            details.add(detail);
        }
        doc.put("details", details);
        n.incident().ifPresent(text -> doc.put("incident", text));
        Map<String, String> links = new LinkedHashMap<>();
        n.link().ifPresent(link -> links.put("deployment", link));
        doc.put("links", links);
        return json(doc);
    }

    /** Slack mrkdwn control characters. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.runway.notifier.routing;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.avro.specific.SpecificRecord;

import dev.runway.events.DeployRequested;
import dev.runway.events.DeploymentCancelled;
import dev.runway.events.DeploymentFailed;
import dev.runway.events.DeploymentRolledBack;
import dev.runway.events.DeploymentStarted;
import dev.runway.events.DeploymentSucceeded;
import dev.runway.events.Environment;
import dev.runway.events.EventHeader;
import dev.runway.events.Envelopes;
import dev.runway.events.NeedsAttention;
import dev.runway.events.RollbackDecided;
import dev.runway.events.ThresholdBreached;
import dev.runway.events.ApprovalRequested;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** The {@code deployments} table: routing learned from DeployRequested, plus facts later events need. */
@ApplicationScoped
public class DeploymentStore {

    /**
     * Folds {@code event} into what is known about its deployment and returns the result. Safe to
     * repeat for a redelivered event.
     */
    public Uni<DeploymentContext> apply(SqlConnection conn, SpecificRecord event) {
        EventHeader h = Envelopes.headerOf(event);
        if (event instanceof DeployRequested r) {
            ManifestNotifications n = ManifestNotifications.parse(r.getManifest());
            return conn.preparedQuery("""
                    INSERT INTO deployments (deployment_id, environment, project, version, requested_by, components,
                                             slack_channel, emails, webhooks, client)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                    ON CONFLICT (deployment_id) DO UPDATE SET
                        client = COALESCE(EXCLUDED.client, deployments.client), version = EXCLUDED.version, requested_by = EXCLUDED.requested_by,
                        components = EXCLUDED.components, slack_channel = EXCLUDED.slack_channel,
                        emails = EXCLUDED.emails, webhooks = EXCLUDED.webhooks, updated_at = now()
                    RETURNING *""")
                    .execute(Tuple.from(Arrays.asList(h.getDeploymentId(), h.getEnvironment().name(), h.getProject(),
                            r.getVersion(), r.getRequestedBy(), String.join(",", r.getComponents()),
                            n.slack().orElse(""),
                            new JsonArray(new ArrayList<>(n.emails())), new JsonArray(new ArrayList<>(n.webhooks())), h.getClient())))
                    .map(rows -> toContext(rows.iterator().next()));
        }
        String version = versionOf(event);
        String priority = event instanceof ThresholdBreached t ? t.getPriority().name()
                : event instanceof RollbackDecided d ? d.getPriority().name() : null;
        OffsetDateTime incidentAt = priority == null ? null : h.getOccurredAt().atOffset(ZoneOffset.UTC);
        String components = event instanceof DeploymentStarted s ? String.join(",", s.getComponents())
                : event instanceof DeploymentSucceeded s ? String.join(",", s.getComponents()) : null;
        Tuple params = Tuple.tuple().addString(h.getDeploymentId()).addString(h.getEnvironment().name())
                .addString(h.getProject()).addString(version).addString(components).addString(priority)
                .addOffsetDateTime(incidentAt).addString(h.getClient());
        return conn.preparedQuery("""
                INSERT INTO deployments (deployment_id, environment, project, version, components,
                                         incident_priority, incident_started_at, client)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                ON CONFLICT (deployment_id) DO UPDATE SET
                    client = COALESCE(EXCLUDED.client, deployments.client),
                    version = COALESCE(EXCLUDED.version, deployments.version),
                    components = COALESCE(EXCLUDED.components, deployments.components),
                    incident_priority = LEAST(deployments.incident_priority, EXCLUDED.incident_priority),
                    incident_started_at = LEAST(deployments.incident_started_at, EXCLUDED.incident_started_at),
                    updated_at = now()
                RETURNING *""")
                .execute(params)
                .map(rows -> toContext(rows.iterator().next()));
    }

    static String versionOf(SpecificRecord event) {
        if (event instanceof DeploymentStarted e) {
            return e.getVersion();
        } else if (event instanceof DeploymentSucceeded e) {
            return e.getVersion();
        } else if (event instanceof DeploymentFailed e) {
            return e.getVersion();
        } else if (event instanceof DeploymentRolledBack e) {
            return e.getVersion();
        } else if (event instanceof NeedsAttention e) {
            return e.getVersion();
        } else if (event instanceof DeploymentCancelled e) {
            return e.getVersion();
        } else if (event instanceof ApprovalRequested e) {
            return e.getVersion();
        }
        return null;
    }

    /** Manifest webhook URLs of a deployment, to resolve a {@code webhook:…#hash} endpoint when sending. */
    public Uni<List<String>> manifestWebhooks(Pool pool, String deploymentId) {
        return pool.preparedQuery("SELECT webhooks FROM deployments WHERE deployment_id = $1")
                .execute(Tuple.of(deploymentId))
                .map(rows -> {
                    List<String> urls = new ArrayList<>();
                    rows.forEach(row -> strings(row.getJsonArray("webhooks")).forEach(urls::add));
                    return urls;
                });
    }

    private static DeploymentContext toContext(Row row) {
        String slack = row.getString("slack_channel");
        ManifestNotifications routing = new ManifestNotifications(
                slack == null || slack.isEmpty() ? Optional.empty() : Optional.of(slack),
                strings(row.getJsonArray("emails")), strings(row.getJsonArray("webhooks")));
        String components = row.getString("components");
        OffsetDateTime started = row.getOffsetDateTime("incident_started_at");
        return new DeploymentContext(row.getString("deployment_id"), Environment.valueOf(row.getString("environment")),
                row.getString("project"), Optional.ofNullable(row.getString("client")), Optional.ofNullable(row.getString("version")),
                Optional.ofNullable(row.getString("requested_by")),
                components == null || components.isEmpty() ? List.of() : List.of(components.split(",")),
                routing, Optional.ofNullable(row.getString("incident_priority")),
                Optional.ofNullable(started).map(OffsetDateTime::toInstant));
    }

    private static List<String> strings(JsonArray array) {
        if (array == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(String.valueOf(v)));
        return List.copyOf(out);
    }

}

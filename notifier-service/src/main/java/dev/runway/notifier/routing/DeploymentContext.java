package dev.runway.notifier.routing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.runway.events.Environment;

/**
 * What the notifier remembers about one deployment: the routing from its DeployRequested manifest
 * (empty when unknown) and facts that later events do not repeat. {@code client} is the project's client
 * (tenant) once any record of the deployment carried it.
 */
public record DeploymentContext(String deploymentId, Environment environment, String project, Optional<String> client,
        Optional<String> version, Optional<String> requestedBy, List<String> components,
        ManifestNotifications routing, Optional<String> incidentPriority, Optional<Instant> incidentStartedAt) {

    /** Nothing remembered (no DeployRequested seen): routing falls back to the environment's defaults. */
    public static DeploymentContext unknown(String deploymentId, Environment environment, String project) {
        return new DeploymentContext(deploymentId, environment, project, Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                ManifestNotifications.NONE, Optional.empty(), Optional.empty());
    }
}

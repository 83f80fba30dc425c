package dev.runway.orchestrator.project;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;

import dev.runway.access.ProjectNames;
import dev.runway.orchestrator.api.ProblemException;
import dev.runway.orchestrator.deployment.Deployment;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Registers projects with their client and refuses names that would collide once made safe. */
@ApplicationScoped
public class ProjectRegistry {

    /**
     * Registers the project (inside the caller's transaction) or finds it, and returns it. Refused with 409:
     * a name whose safe name is another project's, and a project of another client. A project known only
     * from before tenancy (no client) is claimed by the first client a manifest names, with its history.
     *
     * @param client the manifest's project.client; null when the request did not say
     */
    public Uni<Project> register(String name, String client) {
        String safe;
        try {
            safe = ProjectNames.safe(name);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(ProblemException.badRequest("project", e.getMessage()));
        }
        // "on conflict do nothing": two first deployments of one new project at once both find the one row.
        return insertIfNew(name, safe, client)
                .flatMap(x -> Project.<Project>find("safeName", safe).<Project>firstResult())
                .flatMap((Project p) -> {
                    if (p == null) {
                        return Uni.createFrom().failure(ProblemException.conflict("project '" + name + "' could not be registered, retry"));
                    }
                    if (!p.name.equals(name)) {
                        return Uni.createFrom().failure(new ProblemException(409, "Conflict", "project '" + name
                                + "' collides with the existing project '" + p.name + "': both are '" + safe
                                + "' once made safe for namespaces, directories and databases; choose another name", "project"));
                    }
                    if (client != null && p.client != null && !p.client.equalsIgnoreCase(client)) {
                        return Uni.createFrom().failure(new ProblemException(409, "Conflict", "project '" + name
                                + "' belongs to client '" + p.client + "', not '" + client + "'", "manifest.project.client"));
                    }
                    if (client != null && p.client == null) {
                        p.client = client;
                        return Deployment.update("client = ?1 where project = ?2 and client is null", client, name)
                                .map(updated -> p);
                    }
                    return Uni.createFrom().item(p);
                });
    }

    private static Uni<Integer> insertIfNew(String name, String safe, String client) {
        return Panache.getSession().flatMap(session -> {
            var insert = session.createNativeQuery("insert into project (name, safe_name, client, created_at) "
                    + "values (:name, :safe, :client, :at) on conflict do nothing");
            insert.setParameter("name", name);
            insert.setParameter("safe", safe);
            insert.setParameter("client", client);
            insert.setParameter("at", OffsetDateTime.now(ZoneOffset.UTC));
            return insert.executeUpdate();
        });
    }

    public Uni<Project> find(String name) {
        return Project.findById(name);
    }

    /** The project, or a 404 problem naming it. */
    public Uni<Project> require(String name) {
        return Project.<Project>findById(name).onItem().ifNull()
                .failWith(() -> ProblemException.notFound("project '" + name + "'"));
    }
}

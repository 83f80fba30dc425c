package dev.runway.orchestrator.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.runway.access.ProjectScope;
import dev.runway.events.Environment;
import dev.runway.orchestrator.decommission.KeptRelease;
import dev.runway.orchestrator.decommission.KeptReleases;
import dev.runway.orchestrator.deployment.Deployment;
import dev.runway.orchestrator.deployment.EnvironmentRelease;
import dev.runway.orchestrator.lock.EnvironmentLock;
import dev.runway.orchestrator.project.Project;
import dev.runway.orchestrator.project.ProjectRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** Builds the project environment views, the cross-project environment view and the board, for one caller's scope. */
@ApplicationScoped
public class ProjectEnvironments {

    private final EnvironmentLock lock;
    private final ProjectRegistry projects;
    private final KeptReleases kept;

    public ProjectEnvironments(EnvironmentLock lock, ProjectRegistry projects, KeptReleases kept) {
        this.lock = lock;
        this.projects = projects;
        this.kept = kept;
    }

    /** One project environment; 404 for an unknown project, 403 for one the scope does not cover. */
    public Uni<ProjectViews.ProjectEnvironmentView> one(String project, Environment env, ProjectScope scope) {
        return Panache.withSession(() -> projects.require(project)).invoke(p -> Access.require(scope, p.client, p.name))
                .flatMap(p -> view(p.name, p.client, env));
    }

    /** Every project the scope covers that was ever deployed to the environment, each with its own lock and queue. */
    public Uni<ProjectViews.EnvironmentView> environment(Environment env, ProjectScope scope) {
        Parameters params = Parameters.with("env", env.name());
        String where = Access.where(scope, "p.client", "p.name", params);
        return Panache.withSession(() -> Project.<Project>find("select p from Project p where p.name in "
                        + "(select d.project from Deployment d where d.environment = :env) and " + where + " order by p.name", params)
                .list())
                .flatMap(found -> Multi.createFrom().iterable(found).onItem()
                        .transformToUniAndConcatenate(p -> view(p.name, p.client, env)).collect().asList())
                .map(views -> new ProjectViews.EnvironmentView(lower(env.name()), views));
    }

    private Uni<ProjectViews.ProjectEnvironmentView> view(String project, String client, Environment env) {
        return lock.holder(project, env).flatMap(holder -> lock.queue(project, env).flatMap(queued -> Panache.withSession(
                () -> EnvironmentRelease.<EnvironmentRelease>find("project = ?1 and environment = ?2 order by component",
                                project, env.name()).list()
                        .flatMap(live -> kept.running(project, env).flatMap(keptRows -> Deployment.<Deployment>find(
                                        "project = ?1 and environment = ?2 order by createdAt desc", project, env.name())
                                .page(0, 10).list()
                                .flatMap(recent -> summaries(queued).map(queue -> new ProjectViews.ProjectEnvironmentView(
                                        project, client, lower(env.name()), live.stream().map(ProjectEnvironments::live).toList(),
                                        previous(keptRows),
                                        holder.map(h -> new ProjectViews.Lock(h.deploymentId(), h.token())).orElse(null), queue,
                                        recent.stream().map(DeploymentResource::summary).toList()))))))));
    }

    /** The kept releases still running, one entry per component. */
    private List<ProjectViews.Previous> previous(List<KeptRelease> rows) {
        List<ProjectViews.Previous> previous = new ArrayList<>();
        for (KeptRelease row : rows) {
            for (KeptRelease.Component c : kept.components(row)) {
                previous.add(new ProjectViews.Previous(c.component(), c.version(), row.slot, row.keepUntil,
                        row.deploymentId.toString(), row.status.name()));
            }
        }
        return previous;
    }

    /** The board: every project the scope covers, grouped by client, with each environment it was deployed to. */
    public Uni<ProjectViews.Board> board(ProjectScope scope) {
        Parameters params = new Parameters();
        String where = Access.where(scope, "client", "name", params);
        return Panache.withSession(() -> Project.<Project>find(where + " order by client nulls first, name", params).list()
                .flatMap(found -> {
                    if (found.isEmpty()) {
                        return Uni.createFrom().item(new Loaded(found, List.of(), List.of(), List.of()));
                    }
                    List<String> names = found.stream().map(p -> p.name).toList();
                    return Deployment.<Deployment>find("project in ?1 and finishedAt is null", names).list()
                            .flatMap(running -> EnvironmentRelease.<EnvironmentRelease>find(
                                            "project in ?1 order by project, environment, component", names).list()
                                    .flatMap(releases -> Deployment.<Deployment>find("select d from Deployment d where d.project in ?1 "
                                                    + "and d.dryRun = false and d.finishedAt = (select max(e.finishedAt) from Deployment e "
                                                    + "where e.project = d.project and e.environment = d.environment and e.dryRun = false)", names)
                                            .list().map(last -> new Loaded(found, running, releases, last))));
                }))
                .flatMap(this::board);
    }

    private record Loaded(List<Project> projects, List<Deployment> running, List<EnvironmentRelease> releases,
            List<Deployment> lastFinished) {
    }

    private Uni<ProjectViews.Board> board(Loaded loaded) {
        List<Uni<ProjectViews.ProjectEntry>> entries = new ArrayList<>();
        for (Project p : loaded.projects()) {
            // The environments a project appears in: anything live, finished or running there.
            Map<Environment, Boolean> envs = new TreeMap<>();
            loaded.releases().stream().filter(r -> r.project.equals(p.name)).forEach(r -> envs.put(Environment.valueOf(r.environment), true));
            loaded.lastFinished().stream().filter(d -> d.project.equals(p.name)).forEach(d -> envs.put(Environment.valueOf(d.environment), true));
            loaded.running().stream().filter(d -> d.project.equals(p.name)).forEach(d -> envs.put(Environment.valueOf(d.environment), true));
            entries.add(Multi.createFrom().iterable(envs.keySet()).onItem().transformToUniAndConcatenate(env ->
                            lock.holder(p.name, env).flatMap(holder -> lock.queue(p.name, env).map(queue -> {
                                Deployment last = loaded.lastFinished().stream()
                                        .filter(d -> d.project.equals(p.name) && d.environment.equals(env.name()))
                                        .max(Comparator.comparing(d -> d.finishedAt)).orElse(null);
                                return new ProjectViews.EnvironmentEntry(lower(env.name()),
                                        loaded.releases().stream().filter(r -> r.project.equals(p.name) && r.environment.equals(env.name()))
                                                .map(ProjectEnvironments::live).toList(),
                                        holder.map(h -> new ProjectViews.Lock(h.deploymentId(), h.token())).orElse(null), queue,
                                        last == null ? null : new ProjectViews.Outcome(last.id, last.version, last.state, last.finishedAt));
                            })))
                    .collect().asList().map(list -> new ProjectViews.ProjectEntry(p.name, p.safeName, list)));
        }
        if (entries.isEmpty()) {
            return Uni.createFrom().item(new ProjectViews.Board(List.of()));
        }
        return Multi.createFrom().iterable(entries).onItem().transformToUniAndConcatenate(u -> u).collect().asList()
                .map(list -> {
                    Map<String, List<ProjectViews.ProjectEntry>> byClient = new LinkedHashMap<>();
                    for (int i = 0; i < list.size(); i++) {
                        byClient.computeIfAbsent(Objects.toString(loaded.projects().get(i).client, null), k -> new ArrayList<>())
                                .add(list.get(i));
                    }
                    return new ProjectViews.Board(byClient.entrySet().stream()
                            .map(e -> new ProjectViews.ClientEntry(e.getKey(), e.getValue())).toList());
                });
    }

    private static ProjectViews.Live live(EnvironmentRelease r) {
        return new ProjectViews.Live(r.component, r.version, r.front, r.deploymentId.toString(), r.releasedAt);
    }

    private static Uni<List<DeploymentView.Summary>> summaries(List<String> ids) {
        List<UUID> uuids = new ArrayList<>();
        for (String id : ids) {
            try {
                uuids.add(UUID.fromString(id));
            } catch (IllegalArgumentException ignored) {
                // Not a deployment id: nothing to show (the saga runner drops such a queue head).
            }
        }
        if (uuids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Deployment.<Deployment>find("id in ?1 order by createdAt", uuids).list()
                .map(rows -> rows.stream().map(DeploymentResource::summary).toList());
    }

    static String lower(String s) {
        return DeploymentResource.lower(s);
    }
}

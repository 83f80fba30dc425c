package dev.runway.executor.kubernetes;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.runway.executor.commands.CommandContext;
import dev.runway.executor.commands.ProjectEnv;
import dev.runway.executor.commands.StepFailure;
import dev.runway.executor.config.EnvironmentSettings;
import dev.runway.executor.config.Environments;
import dev.runway.executor.config.ExecutorConfig;
import io.fabric8.kubernetes.api.model.Namespace;

/**
 * Which namespace a project environment acts in (the template, or the environment's override) and
 * whether Runway may act there: absent (then made, labelled as Runway's) or labelled as managed, and
 * not another project's.
 */
@ApplicationScoped
public class Namespaces {

    private final Cluster cluster;
    private final ExecutorConfig config;

    public Namespaces(Cluster cluster, ExecutorConfig config) {
        this.cluster = cluster;
        this.config = config;
    }

    /** The project environment's namespace, checked to be one Runway may act in. */
    String of(CommandContext ctx) {
        EnvironmentSettings settings = Environments.settings(config, ctx.environment());
        ProjectEnv key = ctx.projectEnv();
        String ns = settings.namespace().orElseGet(() -> config.kubernetes().namespaceTemplate()
                .replace("{project}", key.safe()).replace("{environment}", key.env()));
        if (ns.length() > 63 || !ns.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
            throw new StepFailure("BAD_NAMESPACE", "namespace '" + ns + "' of " + key + " is not a DNS-1123 label"
                    + " (runway.executor.kubernetes.namespace-template)", false);
        }
        Namespace existing = cluster.namespace(ns).orElse(null);
        String managedLabel = config.kubernetes().managedLabel();
        if (existing != null && !"true".equals(Optional.ofNullable(existing.getMetadata().getLabels()).map(l -> l.get(managedLabel))
                .orElse(null))) {
            throw new StepFailure("NAMESPACE_NOT_MANAGED", "namespace " + ns + " exists but is not labelled " + managedLabel
                    + "=true: Runway acts only in namespaces labelled for it (label it, or choose another namespace)", false);
        }
        String owner = existing == null || existing.getMetadata().getAnnotations() == null ? null
                : existing.getMetadata().getAnnotations().get(Manifests.PROJECT);
        // Two project names with one safe name would share the namespace: the second is refused (not with an override, which is shared on purpose).
        if (settings.namespace().isEmpty() && owner != null && !owner.equals(key.project())) {
            throw new StepFailure("PROJECT_NAME_COLLISION", "project '" + key.project() + "' gives the same namespace " + ns
                    + " as project '" + owner + "'", false);
        }
        return ns;
    }

    /** Creates the namespace, labelled as Runway's (and annotated with its project), when it does not exist yet. */
    void ensure(String ns, CommandContext ctx) {
        if (cluster.namespace(ns).isEmpty()) {
            boolean shared = Environments.settings(config, ctx.environment()).namespace().isPresent();
            cluster.create(Manifests.namespace(ns, config.kubernetes().managedLabel(), shared ? null : ctx.project()));
        }
    }

    /** Plan text of a step that first creates the project environment's namespace, when it is missing. */
    String creating(String ns) {
        return cluster.namespace(ns).isEmpty() ? " (first creates namespace " + ns + ", labelled "
                + config.kubernetes().managedLabel() + "=true)" : "";
    }
}

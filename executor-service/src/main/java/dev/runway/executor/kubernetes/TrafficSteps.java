package dev.runway.executor.kubernetes;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.runway.executor.commands.Plan;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * How the Kubernetes target moves traffic between colours, as plan steps: the Service selector (all
 * of it), HTTPRoute backend weights when the environment names a gateway, else a replica ratio under
 * a Service selecting both colours; and the old colour back at full size once it serves again.
 */
@ApplicationScoped
public class TrafficSteps {

    private final Cluster cluster;

    public TrafficSteps(Cluster cluster) {
        this.cluster = cluster;
    }

    /** The component's Service selects {@code colour}; {@code shown} is the plan's text for the new selector. */
    void select(Plan plan, String ns, String component, String colour, String shown) {
        plan.step("patch v1 Service " + ns + "/" + component + " selector to " + shown, () -> cluster.select(ns, component, colour));
    }

    /** HTTPRoute {@code component} on the gateway: {@code previous} gets 100 - percent, {@code colour} percent. */
    void route(Plan plan, String ns, String gateway, String component, String previous, String colour, int percent) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        if (previous != null) {
            weights.put(previous, 100 - percent);
        }
        weights.put(colour, previous == null ? 100 : percent);
        plan.step("apply gateway.networking.k8s.io/v1 HTTPRoute " + ns + "/" + component + " on Gateway " + gateway + " with backend weights "
                + weights, () -> cluster.apply(ns, Manifests.route(component, gateway, weights, cluster.servicePort(ns, component + "-" + colour))));
    }

    /** No gateway: both colours behind one Service, the share set by replica counts (granularity 1/replicas). */
    void replicaRatio(Plan plan, String ns, String component, Deployment old, String previous, String colour, int percent) {
        int total = Integer.parseInt(Optional.ofNullable(old.getMetadata().getAnnotations()).map(a -> a.get(Manifests.REPLICAS))
                .orElse(String.valueOf(old.getSpec().getReplicas())));
        int fresh = Math.max(1, (int) Math.round(total * percent / 100.0));
        int stay = Math.max(1, total - fresh);
        plan.step("scale apps/v1 Deployment " + ns + "/" + component + "-" + colour + " to " + fresh + " and " + component + "-" + previous
                + " to " + stay + " (replica ratio ~" + percent + "%: no gateway configured)", () -> {
                    cluster.scale(ns, component + "-" + colour, fresh);
                    cluster.scale(ns, component + "-" + previous, stay);
                });
        select(plan, ns, component, null, "app=" + component + " (both colours)");
        plan.step("wait for the rollout of " + ns + "/" + component + "-" + colour, () -> cluster.awaitRollout(ns, component + "-" + colour));
    }

    /** The colour scaled down by a replica ratio back at its recorded size (kept running for instant rollback). */
    void restoreReplicas(Plan plan, String ns, String name) {
        Deployment d = cluster.deployment(ns, name).orElse(null);
        if (d == null || d.getMetadata().getAnnotations() == null || d.getMetadata().getAnnotations().get(Manifests.REPLICAS) == null) {
            return;
        }
        int replicas = Integer.parseInt(d.getMetadata().getAnnotations().get(Manifests.REPLICAS));
        if (d.getSpec().getReplicas() != null && d.getSpec().getReplicas() == replicas) {
            return;
        }
        plan.step("scale apps/v1 Deployment " + ns + "/" + name + " back to " + replicas + " (kept running at full size for instant rollback)",
                () -> cluster.scale(ns, name, replicas));
    }
}

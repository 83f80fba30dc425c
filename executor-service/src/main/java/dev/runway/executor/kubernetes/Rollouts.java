package dev.runway.executor.kubernetes;

import java.util.List;

import dev.runway.executor.commands.StepFailure;
import dev.runway.executor.config.ExecutorConfig;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;

/** `kubectl rollout status` as a loop: done when the controller has seen the spec and every replica is updated and ready. */
final class Rollouts {

    private Rollouts() {
    }

    static void await(KubernetesClient client, String ns, String name, ExecutorConfig.Kubernetes settings) throws InterruptedException {
        long deadline = System.nanoTime() + settings.rolloutTimeout().toNanos();
        String last = "no status yet";
        while (System.nanoTime() < deadline) {
            Deployment d = client.apps().deployments().inNamespace(ns).withName(name).get();
            if (d == null) {
                throw new StepFailure("ROLLOUT_FAILED", "Deployment " + ns + "/" + name + " disappeared during its rollout", true);
            }
            int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            DeploymentStatus s = d.getStatus();
            if (s != null) {
                for (DeploymentCondition c : s.getConditions() == null ? List.<DeploymentCondition>of() : s.getConditions()) {
                    if ("Progressing".equals(c.getType()) && "False".equals(c.getStatus()) && "ProgressDeadlineExceeded".equals(c.getReason())) {
                        throw new StepFailure("ROLLOUT_FAILED", ns + "/" + name + " exceeded its progress deadline: " + c.getMessage(), false);
                    }
                }
                long generation = d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
                long observed = s.getObservedGeneration() == null ? 0 : s.getObservedGeneration();
                int updated = s.getUpdatedReplicas() == null ? 0 : s.getUpdatedReplicas();
                int ready = s.getReadyReplicas() == null ? 0 : s.getReadyReplicas();
                int total = s.getReplicas() == null ? 0 : s.getReplicas();
                last = updated + "/" + want + " updated, " + ready + " ready, " + total + " total";
                if (observed >= generation && updated >= want && ready >= want && total <= want) {
                    return;
                }
            } else if (want == 0) {
                return;
            }
            Thread.sleep(settings.pollInterval().toMillis());
        }
        throw new StepFailure("ROLLOUT_TIMEOUT", ns + "/" + name + " did not finish rolling out within "
                + settings.rolloutTimeout().toSeconds() + " s (" + last + ")", true);
    }
}

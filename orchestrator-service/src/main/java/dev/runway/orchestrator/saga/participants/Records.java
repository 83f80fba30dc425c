package dev.runway.orchestrator.saga.participants;

import java.util.List;

import dev.runway.events.RepositoryRef;
import dev.runway.orchestrator.deployment.Deployment;
import dev.runway.orchestrator.deployment.DeploymentPlan;

/** Parts several commands share. */
final class Records {

    private Records() {
    }

    /** The deployment's repository at its exact commit, or null when it was requested with a manifest only. */
    static RepositoryRef repository(Deployment d) {
        return d.repositoryUrl == null ? null
                : RepositoryRef.newBuilder().setUrl(d.repositoryUrl).setCommit(d.repositoryCommit).setRef(d.repositoryRef).build();
    }

    static List<String> componentNames(DeploymentPlan plan) {
        return plan.components().stream().map(DeploymentPlan.ComponentPlan::name).toList();
    }
}

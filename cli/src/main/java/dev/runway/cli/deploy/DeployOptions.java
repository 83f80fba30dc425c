package dev.runway.cli.deploy;

import java.nio.file.Path;
import java.util.List;

/**
 * What the user asked {@code runway deploy} for, before anything was read or checked. {@code snapshots}
 * ({@code RUNWAY_SNAPSHOT_DIR}) is where a folder that is not the top of its own repository is
 * committed as a {@link Snapshot}; without it such a folder is sent without a repository.
 */
public record DeployOptions(String environment, String version, List<String> components, String strategy, boolean dryRun,
        String project, Path manifest, Path repo, String ciEvidence, Path scanReport, Path snapshots) {

    public DeployOptions(String environment, String version, List<String> components, String strategy, boolean dryRun,
            String project, Path manifest, Path repo, String ciEvidence, Path scanReport) {
        this(environment, version, components, strategy, dryRun, project, manifest, repo, ciEvidence, scanReport, null);
    }
}

package dev.runway.cli.deploy;

import java.nio.file.Path;
import java.util.List;

/** What the user asked {@code runway deploy} for, before anything was read or checked. */
public record DeployOptions(String environment, String version, List<String> components, String strategy, boolean dryRun,
        String project, Path manifest, Path repo, String ciEvidence, Path scanReport) {
}

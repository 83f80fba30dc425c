package dev.runway.cli.deploy;

import java.util.regex.Pattern;

import dev.runway.cli.UsageException;

/**
 * Release versions as the orchestrator takes them (DeploymentRequest.VERSION: semver with an
 * optional leading {@code v}). The CLI sends the bare form, so v1.2.0 and 1.2.0 are one release
 * everywhere: the orchestrator compares version strings for "rollback previous" and live versions.
 */
public final class Versions {

    private static final Pattern SEMVER = Pattern.compile(
            "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$");

    private Versions() {
    }

    /** "v1.2.3", "V1.2.3" or "1.2.3" → "1.2.3"; anything else is a usage error. */
    public static String normalise(String version) {
        if (version == null || version.isBlank()) {
            throw new UsageException("a version is required (-v 1.2.3 or -v v1.2.3)");
        }
        String v = version.strip();
        if (v.startsWith("v") || v.startsWith("V")) {
            v = v.substring(1);
        }
        if (!SEMVER.matcher(v).matches()) {
            throw new UsageException("'" + version + "' is not a semantic version (like 1.2.3, v1.2.3 or 1.2.3-rc.1)");
        }
        return v;
    }
}

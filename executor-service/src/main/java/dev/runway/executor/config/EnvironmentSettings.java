package dev.runway.executor.config;

import java.util.List;
import java.util.Optional;

import dev.runway.events.TargetKind;
import io.smallrye.config.WithDefault;

/** Settings of one environment (runway.executor.environments.<name>.*). */
public interface EnvironmentSettings {
    /** Target used when a command does not name one (and no earlier command of the deployment did). */
    @WithDefault("HOST")
    String target();

    default TargetKind targetKind() {
        return TargetKind.valueOf(target().toUpperCase());
    }

    /**
     * Targets this environment may deploy to, whatever a manifest asks (issue 15): a command for
     * another target is refused with {@code TARGET_NOT_ALLOWED} and nothing is done. Operator
     * configuration, e.g. {@code runway.executor.environments.production.allowed-targets=KUBERNETES}.
     */
    @WithDefault("HOST,KUBERNETES")
    List<TargetKind> allowedTargets();

    /**
     * Kubernetes namespace override: every project of this environment in this one namespace (a
     * single-project install). Absent = one namespace per project environment
     * ({@code runway.executor.kubernetes.namespace-template}).
     */
    Optional<String> namespace();

    /** Gateway API Gateway name: canary weights go on an HTTPRoute; absent = replica ratio. */
    Optional<String> gateway();

    /**
     * Host target: ports of the project environments' nginx fronts, {@code first-last}; each
     * (project, component) gets the lowest free one at its first deploy and keeps it.
     */
    @WithDefault("8800-8899")
    String frontPorts();

    /** Host target: slot ports, {@code first-last}; two per (project, component): blue, and green = blue + 1. */
    @WithDefault("9100-9199")
    String slotPorts();

}

package dev.runway.executor.config;

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

    /** Kubernetes namespace of this environment. */
    @WithDefault("default")
    String namespace();

    /** Gateway API Gateway name: canary weights go on an HTTPRoute; absent = replica ratio. */
    Optional<String> gateway();

    /** Host target: first slot port (component i, colour blue = base + 2i, green = base + 2i + 1). */
    @WithDefault("9100")
    int slotBasePort();

    /** Host target: nginx listen port of the first component (component i listens on port + i). */
    @WithDefault("8800")
    int nginxListenPort();

}

package dev.runway.messaging.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How a service treats its token verification key. */
@ConfigMapping(prefix = "runway.security")
public interface SecurityConfig {

    /**
     * Whether the service may verify tokens with the committed development key (dev-keys/publicKey.pem).
     * True only in the dev and test profiles and in process-level tests; never in a deployment.
     */
    @WithDefault("false")
    boolean allowDevelopmentKey();
}

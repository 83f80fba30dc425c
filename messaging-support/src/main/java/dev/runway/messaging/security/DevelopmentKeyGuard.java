package dev.runway.messaging.security;

import java.io.IOException;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Refuses to start a service whose token verification key is the development key committed in the repository
 * (whose private half every clone holds), unless runway.security.allow-development-key says this is a
 * development or test run. Every Runway service has this bean (the messaging-support jar is indexed).
 */
@ApplicationScoped
public class DevelopmentKeyGuard {

    static final String LOCATION = "mp.jwt.verify.publickey.location";
    static final String INLINE = "mp.jwt.verify.publickey";
    private static final Logger LOG = Logger.getLogger(DevelopmentKeyGuard.class);

    private final Config config;
    private final SecurityConfig security;

    public DevelopmentKeyGuard(Config config, SecurityConfig security) {
        this.config = config;
        this.security = security;
    }

    void onStart(@Observes StartupEvent started) {
        Optional<String> developmentKey = developmentKeyIn();
        if (developmentKey.isEmpty()) {
            return;
        }
        if (security.allowDevelopmentKey()) {
            LOG.warnf("tokens are verified with the development key (%s); allowed by runway.security.allow-development-key,"
                    + " which must never be set in a deployment", developmentKey.get());
            return;
        }
        throw new IllegalStateException("refusing to start: the token verification key (" + developmentKey.get()
                + ") is Runway's development key, committed in the repository (dev-keys/publicKey.pem) with its private"
                + " key, so anyone could mint tokens for this service. Give the service your identity provider's public"
                + " key (JWT_PUBLIC_KEY_LOCATION, DEPLOYMENT.md §5); `./runway up` generates a local key pair in .runway/jwt/.");
    }

    /** Where the configured key is the development key (the property that names it), if it is. */
    Optional<String> developmentKeyIn() {
        Optional<String> inline = config.getOptionalValue(INLINE, String.class);
        if (inline.isPresent() && DevelopmentKey.isDevelopmentKey(inline.get())) {
            return Optional.of(INLINE);
        }
        Optional<String> location = config.getOptionalValue(LOCATION, String.class);
        if (location.isEmpty()) {
            return Optional.empty();
        }
        try {
            Optional<String> text = DevelopmentKey.read(location.get(), Thread.currentThread().getContextClassLoader());
            return text.filter(DevelopmentKey::isDevelopmentKey).map(t -> LOCATION + "=" + location.get());
        } catch (IOException unreadable) {
            // smallrye-jwt reports a key it cannot read; this guard only knows the development key
            return Optional.empty();
        }
    }
}

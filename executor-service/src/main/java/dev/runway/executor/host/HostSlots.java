package dev.runway.executor.host;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.runway.executor.commands.ProjectEnv;
import dev.runway.executor.config.EnvironmentSettings;
import dev.runway.executor.config.ExecutorConfig;
import dev.runway.executor.repository.Checkouts;

/**
 * The host's slots and Runway's nginx as the host target's steps change them: slot state
 * ({@link SlotStore}), processes ({@link SlotProcesses}), health ({@link HealthProbes}), nginx
 * ({@link Nginx}, {@link NginxConfig}) and the checkouts slots run from. All project environments
 * share one nginx config, rendered from every slot state, so its changes (and the states they
 * render) are serialised by one lock; so is the supervisor's work.
 */
@ApplicationScoped
public class HostSlots {

    private static final Logger LOG = Logger.getLogger(HostSlots.class);
    private static final List<String> COLOURS = List.of("blue", "green");

    private final ExecutorConfig config;
    private final Checkouts checkouts;
    private final SlotStore store;
    private final SlotProcesses processes;
    private final HealthProbes probes;
    private final Nginx nginx;
    private final Object lock = new Object();

    public HostSlots(ExecutorConfig config, ObjectMapper json, Checkouts checkouts, ReleaseLauncher launcher) {
        this.config = config;
        this.checkouts = checkouts;
        Path stateDir = Path.of(config.host().stateDir()).toAbsolutePath().normalize();
        this.store = new SlotStore(stateDir, json);
        this.processes = new SlotProcesses(store, launcher);
        this.probes = new HealthProbes(store, config.host().healthTimeout());
        this.nginx = new Nginx(config.host().nginx(), stateDir.resolve("nginx"));
    }

    // ------------------------------------------------------------------ what plans are made from

    /** A component's state; a new one gets its ports (kept only when {@code reserve}: dry runs change nothing). */
    SlotState load(ProjectEnv key, String component, EnvironmentSettings settings, boolean reserve) {
        return store.load(key, component, settings, reserve);
    }

    /** A component this project environment has deployed, or null. */
    SlotState existing(ProjectEnv key, String component) {
        return store.existing(key, component);
    }

    /** Every component of the project environment. */
    List<SlotState> states(ProjectEnv key) {
        return store.states(key);
    }

    Path nginxConfig() {
        return nginx.config();
    }

    // ------------------------------------------------------------------ changes

    /** Records the component's ports (its first deploy) and {@code colour} as candidate with no traffic; {@code serving} stays live. */
    void recordCandidate(ProjectEnv key, String component, EnvironmentSettings settings, String serving, String colour) throws IOException {
        synchronized (lock) {
            SlotState s = store.load(key, component, settings, true);
            // A first release that got traffic but was never promoted is what serves now.
            s.live = serving;
            s.candidate = colour;
            s.candidatePercent = 0;
            store.save(s);
        }
    }

    /** Records the component's ports (its first deploy), changing nothing else. */
    void record(ProjectEnv key, String component, EnvironmentSettings settings) throws IOException {
        synchronized (lock) {
            store.save(store.load(key, component, settings, true));
        }
    }

    /** Makes the release's checkout (of {@code commit}), then starts it in the colour's slot (a checkout no slot uses any more goes). */
    void start(SlotState state, String colour, String artifact, String health, String version, Supplier<Path> checkout, String commit)
            throws IOException {
        Path dir = checkout.get();
        synchronized (lock) {
            processes.start(state, colour, artifact, health, version, dir, commit, this::deleteCheckoutIfUnused);
        }
    }

    void awaitHealthy(SlotState state, String colour, String health) throws Exception {
        probes.awaitHealthy(state, colour, health);
    }

    /** Stops the colour's slot; with {@code dropCheckout} (RemoveGreen) the checkout it ran from goes with it. */
    void stop(SlotState state, String colour, String dropCheckout) throws IOException {
        synchronized (lock) {
            processes.stop(state, colour);
            if (dropCheckout != null) {
                SlotState stored = store.existing(SlotStore.keyOf(state), state.component);
                if (stored != null && stored.slot(colour) != null) {
                    stored.slot(colour).checkout = null;
                    store.save(stored);
                }
                deleteCheckoutIfUnused(dropCheckout);
            }
        }
    }

    /** Saves the components' new routing, then renders nginx from every state: nginx -t, swap, reload. */
    void route(Collection<SlotState> next) throws IOException {
        synchronized (lock) {
            for (SlotState state : next) {
                SlotState stored = Optional.ofNullable(store.existing(SlotStore.keyOf(state), state.component)).orElse(state);
                stored.live = state.live;
                stored.candidate = state.candidate;
                stored.candidatePercent = state.candidatePercent;
                store.save(stored);
            }
            String servers = NginxConfig.servers(store.all());
            nginx.apply(NginxConfig.render(nginx.prefix(), servers), !servers.isBlank());
        }
    }

    /** Until the project environment's front answers with the version now in {@code colour}. */
    void awaitFront(SlotState state, String colour) throws Exception {
        String version = store.existing(SlotStore.keyOf(state), state.component).slot(colour).version;
        probes.awaitFront(state.front, version);
    }

    void awaitFrontClosed(SlotState state) throws Exception {
        probes.awaitFrontClosed(state.front);
    }

    /** The supervisor's round: restarts slots that died, deletes checkouts no slot uses once they are old. */
    void supervise() {
        synchronized (lock) {
            processes.supervise();
            sweepCheckouts();
        }
    }

    /** Deletes checkouts older than the retention that no slot of any project environment runs from. */
    void sweepCheckouts() {
        try {
            Instant cutoff = Instant.now().minus(config.host().checkoutRetention());
            for (Path dir : checkouts.olderThan(cutoff)) {
                deleteCheckoutIfUnused(dir.toString());
            }
        } catch (RuntimeException e) {
            LOG.warn("checkout sweep failed; trying again later", e);
        }
    }

    /** Stops every slot process and nginx this executor started (tests; `./runway down` does the same from pid files). */
    public void stopEverything() throws IOException {
        synchronized (lock) {
            for (SlotState state : store.all()) {
                for (String colour : COLOURS) {
                    processes.stop(state, colour);
                }
            }
            nginx.stop();
        }
    }

    /** A checkout no slot of any project environment runs from any more is deleted. */
    private void deleteCheckoutIfUnused(String checkout) {
        boolean used = store.all().stream().flatMap(s -> s.slots.values().stream()).anyMatch(s -> checkout.equals(s.checkout));
        if (!used) {
            checkouts.delete(Path.of(checkout));
        }
    }
}

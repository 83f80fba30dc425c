package dev.runway.executor.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import dev.runway.executor.commands.ProjectEnv;
import dev.runway.executor.commands.StepFailure;

/**
 * Slot processes: started by {@link ReleaseLauncher} from their release's checkout (cleared
 * environment, unprivileged user), recorded in the slot state and a pid file (for
 * {@code ./runway down}), stopped with their children, and restarted by the supervisor when they
 * die. Whether they answer is {@link HealthProbes}' job.
 */
class SlotProcesses {

    private static final Logger LOG = Logger.getLogger(SlotProcesses.class);

    private final SlotStore store;
    private final ReleaseLauncher launcher;

    SlotProcesses(SlotStore store, ReleaseLauncher launcher) {
        this.store = store;
        this.launcher = launcher;
    }

    /**
     * Starts {@code artifact} in {@code checkout} (of {@code commit}) as the colour's slot, stopping
     * what ran there only once the release is ready to start (its environment built and checked).
     * The checkout the slot ran from before is handed to {@code replaced} when it differs.
     */
    void start(SlotState key, String colour, String artifact, String health, String version, Path checkout, String commit,
            Consumer<String> replaced) throws IOException {
        if (!Files.isDirectory(checkout)) {
            throw new StepFailure("NO_CHECKOUT", "checkout " + checkout + " of " + key.component + " is missing", false);
        }
        ReleaseLauncher.Launch launch = launcher.prepare(key, colour, artifact, version, checkout, commit);
        String before = stop(key, colour);
        int port = key.port(colour);
        Files.createDirectories(store.stateDir().resolve("pids"));
        Files.createDirectories(store.stateDir().resolve("logs"));
        Process process = launcher.start(launch, store.logFile(key, colour));
        Files.writeString(store.pidFile(key, colour), Long.toString(process.pid()));
        synchronized (store) {
            SlotState state = store.existing(key(key), key.component);
            if (state == null) {
                state = key;
            }
            SlotState.Slot slot = state.slots.computeIfAbsent(colour, c -> new SlotState.Slot());
            slot.port = port;
            slot.pid = process.pid();
            slot.version = version;
            slot.artifact = artifact;
            slot.healthcheck = health;
            slot.checkout = checkout.toString();
            slot.commit = commit;
            slot.running = true;
            store.save(state);
        }
        LOG.infof("started %s (pid %d) on port %d from %s as %s", SlotStore.baseName(key, colour), process.pid(), port, checkout,
                launch.identity());
        if (before != null && !before.equals(checkout.toString())) {
            replaced.accept(before);
        }
    }

    /** Stops the colour's process (if any) and marks the slot stopped; returns the checkout it ran from. */
    String stop(SlotState key, String colour) throws IOException {
        String checkout = null;
        synchronized (store) {
            SlotState state = store.existing(key(key), key.component);
            SlotState.Slot slot = state == null ? null : state.slot(colour);
            if (slot != null) {
                checkout = slot.checkout;
                slot.running = false;
                store.save(state);
                ProcessHandle.of(slot.pid).ifPresent(SlotProcesses::terminate);
            }
            // An executor killed between writing the pid file and saving the slot left a release the state does not
            // name: the pid file's process is stopped too, if it started when that file was written (not a reused pid).
            long recorded = slot == null ? 0 : slot.pid;
            orphan(store.pidFile(key, colour)).filter(p -> p.pid() != recorded).ifPresent(SlotProcesses::terminate);
        }
        Files.deleteIfExists(store.pidFile(key, colour));
        return checkout;
    }

    private static Optional<ProcessHandle> orphan(Path pidFile) {
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            Instant written = Files.getLastModifiedTime(pidFile).toInstant();
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> p.info().startInstant()
                    .map(started -> !started.isAfter(written.plusSeconds(1)) && started.isAfter(written.minusSeconds(60))).orElse(false));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void terminate(ProcessHandle process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            process.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
        }
    }

    static boolean alive(SlotState.Slot slot) {
        return ProcessHandle.of(slot.pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Restarts slots that should run but whose process died (crash, OOM, kill), from the checkout they ran from. */
    void supervise() {
        List<SlotState> states;
        try {
            states = store.all();
        } catch (RuntimeException e) {
            LOG.warn("slot supervision failed; trying again later", e);
            return;
        }
        for (SlotState state : states) {
            for (Map.Entry<String, SlotState.Slot> e : state.slots.entrySet()) {
                SlotState.Slot slot = e.getValue();
                if (!slot.running || alive(slot)) {
                    continue;
                }
                String name = SlotStore.baseName(state, e.getKey());
                if (slot.checkout == null || !Files.isDirectory(Path.of(slot.checkout))) {
                    LOG.warnf("%s (pid %d) is not running and its checkout %s is gone: not restarted", name, slot.pid, slot.checkout);
                    continue;
                }
                LOG.warnf("%s (pid %d) is not running: restarting it", name, slot.pid);
                try {
                    start(state, e.getKey(), slot.artifact, slot.healthcheck, slot.version, Path.of(slot.checkout), slot.commit, c -> {
                    });
                } catch (Exception ex) {
                    // One slot that cannot start (its user, its config) does not keep the others from being supervised.
                    LOG.warnf("restarting %s failed; trying again later: %s", name, ex.getMessage());
                }
            }
        }
    }

    private static ProjectEnv key(SlotState state) {
        return SlotStore.keyOf(state);
    }
}

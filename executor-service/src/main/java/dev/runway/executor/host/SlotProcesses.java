package dev.runway.executor.host;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import dev.runway.executor.commands.ProjectEnv;
import dev.runway.executor.commands.StepFailure;

/**
 * Slot processes: started from their release's checkout with PORT/VERSION/COLOR, recorded in the
 * slot state and a pid file (for {@code ./runway down}), stopped with their children, and restarted
 * by the supervisor when they die. Whether they answer is {@link HealthProbes}' job.
 */
class SlotProcesses {

    private static final Logger LOG = Logger.getLogger(SlotProcesses.class);

    private final SlotStore store;

    SlotProcesses(SlotStore store) {
        this.store = store;
    }

    /**
     * Starts {@code artifact} in {@code checkout} as the colour's slot (stopping what ran there).
     * The checkout the slot ran from before is handed to {@code replaced} when it differs.
     */
    void start(SlotState key, String colour, String artifact, String health, String version, Path checkout, Consumer<String> replaced)
            throws IOException {
        if (!Files.isDirectory(checkout)) {
            throw new StepFailure("NO_CHECKOUT", "checkout " + checkout + " of " + key.component + " is missing", false);
        }
        String before = stop(key, colour);
        int port = key.port(colour);
        Files.createDirectories(store.stateDir().resolve("pids"));
        Files.createDirectories(store.stateDir().resolve("logs"));
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", "exec " + artifact)
                .directory(checkout.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(store.logFile(key, colour).toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = builder.environment();
        env.put("PORT", Integer.toString(port));
        env.put("VERSION", version);
        env.put("COLOR", colour);
        env.put("RUNWAY_COMPONENT", key.component);
        env.put("RUNWAY_ENVIRONMENT", key.environment);
        env.put("RUNWAY_PROJECT", key.project);
        Process process = builder.start();
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
            slot.running = true;
            store.save(state);
        }
        LOG.infof("started %s (pid %d) on port %d from %s", SlotStore.baseName(key, colour), process.pid(), port, checkout);
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
        }
        Files.deleteIfExists(store.pidFile(key, colour));
        return checkout;
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
        try {
            for (SlotState state : store.all()) {
                for (Map.Entry<String, SlotState.Slot> e : state.slots.entrySet()) {
                    SlotState.Slot slot = e.getValue();
                    if (slot.running && !alive(slot)) {
                        if (slot.checkout == null || !Files.isDirectory(Path.of(slot.checkout))) {
                            LOG.warnf("%s (pid %d) is not running and its checkout %s is gone: not restarted",
                                    SlotStore.baseName(state, e.getKey()), slot.pid, slot.checkout);
                            continue;
                        }
                        LOG.warnf("%s (pid %d) is not running: restarting it", SlotStore.baseName(state, e.getKey()), slot.pid);
                        start(state, e.getKey(), slot.artifact, slot.healthcheck, slot.version, Path.of(slot.checkout), c -> {
                        });
                    }
                }
            }
        } catch (Exception e) {
            LOG.warn("slot supervision failed; trying again later", e);
        }
    }

    private static ProjectEnv key(SlotState state) {
        return SlotStore.keyOf(state);
    }
}

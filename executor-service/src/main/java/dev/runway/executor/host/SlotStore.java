package dev.runway.executor.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.runway.events.Environment;
import dev.runway.executor.commands.ProjectEnv;
import dev.runway.executor.commands.StepFailure;
import dev.runway.executor.config.EnvironmentSettings;

/**
 * The host target's durable state, per project environment and component: slot state files
 * ({@code slots/<env>/<safe project>/<component>.json}), pid and log files, and the ports handed
 * out from each environment's ranges ({@code slots/<env>/ports.properties}), fixed at the first
 * real deploy so a project environment keeps its front across restarts.
 */
class SlotStore {

    private final Path stateDir;
    private final ObjectMapper json;

    SlotStore(Path stateDir, ObjectMapper json) {
        this.stateDir = stateDir;
        this.json = json;
    }

    Path stateDir() {
        return stateDir;
    }

    /** A component's state; a new one gets its ports now (kept only when {@code reserve}: dry runs change nothing). */
    synchronized SlotState load(ProjectEnv key, String component, EnvironmentSettings settings, boolean reserve) {
        requirePlain(component);
        Path file = stateFile(key, component);
        try {
            if (Files.exists(file)) {
                return owned(key, json.readValue(file.toFile(), SlotState.class));
            }
            SlotState state = new SlotState();
            state.project = key.safe();
            state.projectName = key.project();
            state.environment = key.env();
            state.component = component;
            String name = key.safe() + "/" + component;
            Properties ports = ports(key);
            state.front = allocate(ports, name + ".front", PortRange.parse("front-ports", settings.frontPorts()), 1, key);
            state.slotPort = allocate(ports, name + ".slots", PortRange.parse("slot-ports", settings.slotPorts()), 2, key);
            if (reserve) {
                storePorts(key, ports);
            }
            return state;
        } catch (IOException e) {
            throw new StepFailure("HOST_STATE_UNREADABLE", "cannot read " + file + ": " + e.getMessage(), false, e);
        }
    }

    /** Two project names that give one safe name would share slots, ports and files: the second is refused. */
    private static SlotState owned(ProjectEnv key, SlotState state) {
        if (state.projectName != null && !state.projectName.equals(key.project())) {
            throw new StepFailure("PROJECT_NAME_COLLISION", "project '" + key.project() + "' gives the same safe name '" + key.safe()
                    + "' as project '" + state.projectName + "', which already has slots in " + key.env(), false);
        }
        return state;
    }

    /** The project environment a stored state belongs to. */
    static ProjectEnv keyOf(SlotState state) {
        return new ProjectEnv(state.projectName != null ? state.projectName : state.project, state.project,
                Environment.valueOf(state.environment.toUpperCase(Locale.ROOT)));
    }

    /** A state that exists (never allocates). */
    synchronized SlotState existing(ProjectEnv key, String component) {
        requirePlain(component);
        Path file = stateFile(key, component);
        try {
            return Files.exists(file) ? owned(key, json.readValue(file.toFile(), SlotState.class)) : null;
        } catch (IOException e) {
            throw new StepFailure("HOST_STATE_UNREADABLE", "cannot read " + file + ": " + e.getMessage(), false, e);
        }
    }

    synchronized void save(SlotState state) throws IOException {
        Path file = stateDir.resolve("slots").resolve(state.environment).resolve(state.project).resolve(state.component + ".json");
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        json.writeValue(tmp.toFile(), state);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Every component of one project environment. */
    synchronized List<SlotState> states(ProjectEnv key) {
        return read(stateDir.resolve("slots").resolve(key.env()).resolve(key.safe()));
    }

    /** Every component of every project environment (nginx renders them all; the supervisor watches them all). */
    synchronized List<SlotState> all() {
        List<SlotState> all = new ArrayList<>();
        Path slots = stateDir.resolve("slots");
        if (!Files.isDirectory(slots)) {
            return all;
        }
        try (Stream<Path> envs = Files.list(slots)) {
            for (Path env : envs.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> projects = Files.list(env)) {
                    for (Path project : projects.filter(Files::isDirectory).sorted().toList()) {
                        all.addAll(read(project));
                    }
                }
            }
        } catch (IOException e) {
            throw new StepFailure("HOST_STATE_UNREADABLE", "cannot read " + slots + ": " + e.getMessage(), false, e);
        }
        return all;
    }

    Path pidFile(SlotState state, String colour) {
        return stateDir.resolve("pids").resolve(baseName(state, colour) + ".pid");
    }

    Path logFile(SlotState state, String colour) {
        return stateDir.resolve("logs").resolve(baseName(state, colour) + ".log");
    }

    /** {@code staging-demo-shop-web-blue}: pid and log files of one slot. */
    static String baseName(SlotState state, String colour) {
        return state.environment + "-" + state.project + "-" + state.component + "-" + colour;
    }

    private Path stateFile(ProjectEnv key, String component) {
        return stateDir.resolve("slots").resolve(key.env()).resolve(key.safe()).resolve(component + ".json");
    }

    private List<SlotState> read(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<SlotState> states = new ArrayList<>();
            for (Path f : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                states.add(json.readValue(f.toFile(), SlotState.class));
            }
            return states;
        } catch (IOException e) {
            throw new StepFailure("HOST_STATE_UNREADABLE", "cannot read " + dir + ": " + e.getMessage(), false, e);
        }
    }

    /** The port recorded for {@code name}, else the lowest free one of {@code range} ({@code width} ports each). */
    private static int allocate(Properties ports, String name, PortRange range, int width, ProjectEnv key) {
        String known = ports.getProperty(name);
        if (known != null) {
            return Integer.parseInt(known);
        }
        Set<Integer> taken = new HashSet<>();
        for (String k : ports.stringPropertyNames()) {
            int p = Integer.parseInt(ports.getProperty(k));
            int w = k.endsWith(".slots") ? 2 : 1;
            for (int i = 0; i < w; i++) {
                taken.add(p + i);
            }
        }
        for (int port = range.first(); port + width - 1 <= range.last(); port += width) {
            boolean free = true;
            for (int i = 0; i < width; i++) {
                free &= !taken.contains(port + i);
            }
            if (free) {
                ports.setProperty(name, Integer.toString(port));
                return port;
            }
        }
        throw new StepFailure("NO_FREE_PORT", "no free port left in " + range + " for " + name + " in " + key.env()
                + ": widen runway.executor.environments." + key.env() + "." + range.setting(), false);
    }

    private Properties ports(ProjectEnv key) throws IOException {
        Properties ports = new Properties();
        Path file = portsFile(key);
        if (Files.exists(file)) {
            try (var in = Files.newInputStream(file)) {
                ports.load(in);
            }
        }
        return ports;
    }

    private void storePorts(ProjectEnv key, Properties ports) throws IOException {
        Path file = portsFile(key);
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("ports.properties.tmp");
        try (var out = Files.newOutputStream(tmp)) {
            ports.store(out, "<safe project>/<component>.front = nginx port; .slots = blue slot port (green = +1)");
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private Path portsFile(ProjectEnv key) {
        return stateDir.resolve("slots").resolve(key.env()).resolve("ports.properties");
    }

    private static void requirePlain(String component) {
        if (component == null || !component.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new StepFailure("BAD_COMPONENT", "component name " + component + " is not a plain name", false);
        }
    }

    /** {@code 8900-8999}: an environment's ports for fronts or slots. */
    record PortRange(String setting, int first, int last) {
        static PortRange parse(String setting, String value) {
            String[] parts = value.strip().split("\\s*-\\s*");
            try {
                int first = Integer.parseInt(parts[0]);
                int last = parts.length > 1 ? Integer.parseInt(parts[1]) : first;
                if (parts.length > 2 || first < 1 || last > 65535 || last < first) {
                    throw new NumberFormatException(value);
                }
                return new PortRange(setting, first, last);
            } catch (NumberFormatException e) {
                throw new StepFailure("BAD_PORT_RANGE", setting + " '" + value + "' is not a port range like 8900-8999", false);
            }
        }

        @Override
        public String toString() {
            return setting + " " + first + "-" + last;
        }
    }
}

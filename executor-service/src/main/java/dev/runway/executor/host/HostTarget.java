package dev.runway.executor.host;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.runway.events.*;
import dev.runway.executor.commands.CommandContext;
import dev.runway.executor.commands.DeploymentFacts;
import dev.runway.executor.commands.DeploymentTarget;
import dev.runway.executor.commands.Plan;
import dev.runway.executor.config.ExecutorConfig;
import dev.runway.executor.config.EnvironmentSettings;
import dev.runway.executor.config.StepFailure;
import io.quarkus.runtime.StartupEvent;

/**
 * Seed 001's host deployments: each component release runs as a supervised process in a blue or
 * green slot on its own port, behind Runway's own nginx (upstream weights for canary, a checked
 * atomic config swap + reload for blue-green). The previous slot keeps running for instant rollback.
 * Pid files under {@code <state-dir>/pids} and nginx's pid let {@code ./runway down} stop them all.
 */
@ApplicationScoped
public class HostTarget implements DeploymentTarget {

    private static final Logger LOG = Logger.getLogger(HostTarget.class);
    private static final List<String> COLOURS = List.of("blue", "green");

    private final ExecutorConfig config;
    private final DeploymentFacts facts;
    private final ObjectMapper json;
    private final Path stateDir;
    private final Nginx nginx;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Object lock = new Object();
    private final Map<Environment, Map<String, Integer>> provisional = new java.util.EnumMap<>(Environment.class);
    private ScheduledExecutorService supervisor;

    public HostTarget(ExecutorConfig config, DeploymentFacts facts, ObjectMapper json) {
        this.config = config;
        this.facts = facts;
        this.json = json;
        this.stateDir = Path.of(config.host().stateDir()).toAbsolutePath().normalize();
        this.nginx = new Nginx(config.host().nginx(), stateDir.resolve("nginx"));
    }

    @Override
    public TargetKind kind() {
        return TargetKind.HOST;
    }

    void startSupervisor(@Observes StartupEvent event) {
        supervisor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "host-slot-supervisor");
            t.setDaemon(true);
            return t;
        });
        long every = config.host().superviseEvery().toMillis();
        supervisor.scheduleWithFixedDelay(this::supervise, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stopSupervisor() {
        if (supervisor != null) {
            supervisor.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ commands

    @Override
    public Plan deployGreen(CommandContext ctx, DeployGreen command) {
        Plan plan = new Plan();
        List<String> names = new ArrayList<>();
        List<ReleaseEndpoint> endpoints = new ArrayList<>();
        String slotOfAll = null;
        for (ComponentSpec spec : command.getComponents()) {
            SlotState state = load(ctx.environment(), spec.getName());
            String serving = serving(state);
            String colour = "blue".equals(serving) ? "green" : "blue";
            slotOfAll = colour;
            names.add(spec.getName());
            // The health-watcher scrapes the slot itself, not nginx: a canary's own errors are not diluted by the live slot.
            endpoints.add(ReleaseEndpoint.newBuilder().setComponent(spec.getName())
                    .setUrl("http://127.0.0.1:" + port(ctx.environment(), state, colour))
                    .setBaselineUrl(serving == null ? null : "http://127.0.0.1:" + port(ctx.environment(), state, serving)).build());
            // Recorded first: if the executor dies while the slot starts, the compensation knows which slot to remove.
            plan.step("record " + spec.getName() + " " + colour + " as this deployment's candidate (0% of traffic until ShiftTraffic)", () -> {
                synchronized (lock) {
                    SlotState s = load(ctx.environment(), spec.getName());
                    // A first release that got traffic but was never promoted is what serves now.
                    s.live = serving;
                    s.candidate = colour;
                    s.candidatePercent = 0;
                    save(ctx.environment(), s);
                }
                facts.put(ctx.deploymentId(), DeploymentFacts.TARGET, TargetKind.HOST.name());
                facts.put(ctx.deploymentId(), DeploymentFacts.STRATEGY, command.getStrategy().name());
                facts.put(ctx.deploymentId(), DeploymentFacts.NEW_SLOT, colour);
                if (serving != null) {
                    facts.put(ctx.deploymentId(), DeploymentFacts.PREVIOUS_SLOT, serving);
                }
            });
            addStartSteps(plan, ctx, state, colour, spec.getArtifact(), spec.getHealthcheck(), command.getVersion());
        }
        String slot = slotOfAll == null ? "blue" : slotOfAll;
        return plan.reply(() -> GreenDeployed.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step())
                .setVersion(command.getVersion()).setSlot(slot).setComponents(names).setEndpoints(endpoints).build());
    }

    @Override
    public Plan shiftTraffic(CommandContext ctx, ShiftTraffic command) {
        if (command.getPercent() < 0 || command.getPercent() > 100) {
            throw new StepFailure("BAD_PERCENT", "percent must be 0..100, was " + command.getPercent(), false);
        }
        NewSlots changed = withNewSlot(ctx, command.getComponents(), (state, colour) -> {
            state.candidate = colour;
            state.candidatePercent = command.getPercent();
        });
        Map<String, SlotState> next = changed.states();
        String slot = changed.slot();
        Plan plan = routeSteps(new Plan(), ctx, next);
        if (command.getPercent() == 100) {
            for (SlotState state : next.values()) {
                addVerify(plan, ctx.environment(), state, state.candidate);
            }
        }
        String colour = slot;
        return plan.reply(() -> TrafficShifted.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step())
                .setPercent(command.getPercent()).setSlot(colour).build());
    }

    @Override
    public Plan promoteGreen(CommandContext ctx, PromoteGreen command) {
        NewSlots changed = withNewSlot(ctx, command.getComponents(), (state, colour) -> {
            state.live = colour;
            state.candidate = null;
            state.candidatePercent = 0;
        });
        Map<String, SlotState> next = changed.states();
        String colour = changed.slot();
        return routeSteps(new Plan(), ctx, next).reply(() -> GreenPromoted.newBuilder().setHeader(ctx.replyHeader())
                .setStep(ctx.step()).setSlot(colour).build());
    }

    @Override
    public Plan decommission(CommandContext ctx, Decommission command) {
        Plan plan = new Plan();
        for (String component : components(ctx, command.getComponents())) {
            SlotState state = load(ctx.environment(), component);
            if (command.getSlot().equals(state.live) || routed(state).contains(command.getSlot())) {
                throw new StepFailure("SLOT_IN_USE", component + " " + command.getSlot() + " still receives traffic: promote or roll back first", false);
            }
            addStopStep(plan, ctx.environment(), component, command.getSlot());
        }
        return plan.reply(() -> Decommissioned.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step())
                .setSlot(command.getSlot()).build());
    }

    @Override
    public Plan rollbackTraffic(CommandContext ctx, RollbackTraffic command) {
        Map<String, SlotState> next = new TreeMap<>();
        String slot = null;
        for (String component : components(ctx, command.getComponents())) {
            SlotState state = load(ctx.environment(), component);
            String newColour = newSlot(ctx, state);
            String previous = facts.get(ctx.deploymentId(), DeploymentFacts.PREVIOUS_SLOT)
                    .orElseGet(() -> newColour.equals(state.live) ? null : state.live);
            if (previous == null || previous.equals(newColour)) {
                throw new StepFailure("NO_PREVIOUS_SLOT", component + " has no previous version to send traffic back to", false);
            }
            requireRunning(state, previous, component);
            state.live = previous;
            state.candidate = newColour;
            state.candidatePercent = 0;
            next.put(component, state);
            slot = previous;
        }
        Plan plan = routeSteps(new Plan(), ctx, next);
        for (SlotState state : next.values()) {
            addVerify(plan, ctx.environment(), state, state.live);
        }
        String colour = slot;
        return plan.reply(() -> TrafficRolledBack.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step())
                .setSlot(colour).build());
    }

    @Override
    public Plan removeGreen(CommandContext ctx, RemoveGreen command) {
        Plan plan = new Plan();
        Map<String, SlotState> next = new TreeMap<>();
        String slot = null;
        for (String component : components(ctx, command.getComponents())) {
            SlotState state = load(ctx.environment(), component);
            String colour = newSlot(ctx, state);
            if (colour.equals(state.live)) {
                throw new StepFailure("SLOT_IN_USE", component + " " + colour + " is live: roll traffic back first", false);
            }
            state.candidate = null;
            state.candidatePercent = 0;
            next.put(component, state);
            slot = colour;
        }
        routeSteps(plan, ctx, next);
        for (Map.Entry<String, SlotState> e : next.entrySet()) {
            addStopStep(plan, ctx.environment(), e.getKey(), newSlot(ctx, e.getValue()));
        }
        String colour = slot;
        return plan.reply(() -> GreenRemoved.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step()).setSlot(colour).build());
    }

    /** Rolling on one host: start the new version in the idle slot, switch to it, stop the old one. */
    @Override
    public Plan rollOut(CommandContext ctx, RollOut command) {
        Plan plan = new Plan();
        List<String> names = new ArrayList<>();
        for (ComponentSpec spec : command.getComponents()) {
            SlotState state = load(ctx.environment(), spec.getName());
            String old = serving(state);
            String colour = "blue".equals(old) ? "green" : "blue";
            names.add(spec.getName());
            addStartSteps(plan, ctx, state, colour, spec.getArtifact(), spec.getHealthcheck(), command.getVersion());
            SlotState routed = load(ctx.environment(), spec.getName());
            routed.live = colour;
            routed.candidate = null;
            routed.slots.computeIfAbsent(colour, c -> new SlotState.Slot()).running = true;
            routed.slots.get(colour).port = port(ctx.environment(), routed, colour);
            if (old != null) {
                routed.slots.get(old).running = false;
            }
            routeSteps(plan, ctx, Map.of(spec.getName(), routed));
            addVerify(plan, ctx.environment(), routed, colour);
            if (old != null) {
                addStopStep(plan, ctx.environment(), spec.getName(), old);
            }
            plan.step("remember " + spec.getName() + " " + (old == null ? "had no previous version" : old + " as the version to undo to"), () -> {
                facts.put(ctx.deploymentId(), DeploymentFacts.TARGET, TargetKind.HOST.name());
                facts.put(ctx.deploymentId(), DeploymentFacts.STRATEGY, Strategy.ROLLING.name());
                facts.put(ctx.deploymentId(), DeploymentFacts.NEW_SLOT, colour);
                if (old != null) {
                    facts.put(ctx.deploymentId(), DeploymentFacts.PREVIOUS_SLOT, old);
                }
            });
        }
        return plan.reply(() -> RolledOut.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step())
                .setVersion(command.getVersion()).setComponents(names).build());
    }

    /** Start the previous version again in its slot (artifact and version were kept), switch back, stop the new one. */
    @Override
    public Plan undoRollout(CommandContext ctx, UndoRollout command) {
        Plan plan = new Plan();
        List<String> names = components(ctx, command.getComponents());
        for (String component : names) {
            SlotState state = load(ctx.environment(), component);
            String current = newSlot(ctx, state);
            String previous = facts.get(ctx.deploymentId(), DeploymentFacts.PREVIOUS_SLOT).orElse(null);
            SlotState.Slot old = previous == null ? null : state.slot(previous);
            if (old == null || old.artifact == null) {
                throw new StepFailure("NO_PREVIOUS_VERSION", component + " has no previous version to undo to", false);
            }
            addStartSteps(plan, ctx, state, previous, old.artifact, old.healthcheck, old.version);
            SlotState routed = load(ctx.environment(), component);
            routed.live = previous;
            routed.candidate = null;
            routed.slot(previous).running = true;
            if (routed.slot(current) != null) {
                routed.slot(current).running = false;
            }
            routeSteps(plan, ctx, Map.of(component, routed));
            addVerify(plan, ctx.environment(), routed, previous);
            addStopStep(plan, ctx.environment(), component, current);
        }
        return plan.reply(() -> RolloutUndone.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step())
                .setComponents(names).build());
    }

    // ------------------------------------------------------------------ steps

    private void addStartSteps(Plan plan, CommandContext ctx, SlotState state, String colour, String artifact, String healthcheck,
            String version) {
        String component = state.component;
        if (artifact == null || artifact.isBlank()) {
            throw new StepFailure("NO_ARTIFACT", component + " has no artifact (deploy.artifact) for the host target", false);
        }
        Environment env = ctx.environment();
        int port = port(env, state, colour);
        String health = healthcheck == null || healthcheck.isBlank() ? "/health" : healthcheck;
        SlotState.Slot current = state.slot(colour);
        if (current != null && current.running && alive(current)) {
            plan.step("stop " + component + " " + colour + " (pid " + current.pid + ", version " + current.version + ") to reuse its slot",
                    () -> stopSlot(env, component, colour));
        }
        plan.step("start `" + artifact + "` as " + component + " " + version + " in slot " + colour + " on 127.0.0.1:" + port
                + " (PORT=" + port + " VERSION=" + version + " COLOR=" + colour + ", cwd " + workingDir() + ")",
                () -> startSlot(env, component, colour, port, artifact, health, version));
        plan.step("wait until http://127.0.0.1:" + port + health + " answers 200 (at most " + config.host().healthTimeout().toSeconds() + " s)",
                () -> awaitHealthy(env, component, colour, port, health));
    }

    private void addStopStep(Plan plan, Environment env, String component, String colour) {
        SlotState.Slot slot = load(env, component).slot(colour);
        String what = slot == null ? "nothing running" : "pid " + slot.pid + ", version " + slot.version;
        plan.step("stop " + component + " " + colour + " (" + what + ")", () -> stopSlot(env, component, colour));
    }

    /** One step: the nginx change (shown as the new upstreams), nginx -t, atomic swap, reload. */
    private Plan routeSteps(Plan plan, CommandContext ctx, Map<String, SlotState> next) {
        Environment env = ctx.environment();
        StringBuilder change = new StringBuilder();
        for (SlotState state : next.values()) {
            change.append(upstream(env, state).replaceAll("\\s+", " ").trim()).append(' ');
        }
        plan.step("nginx: write " + nginx.config() + " with " + change.toString().trim() + "; nginx -t; swap; reload", () -> {
            synchronized (lock) {
                for (SlotState state : next.values()) {
                    SlotState stored = load(env, state.component);
                    stored.live = state.live;
                    stored.candidate = state.candidate;
                    stored.candidatePercent = state.candidatePercent;
                    save(env, stored);
                }
                String servers = servers();
                nginx.apply(nginx.render(servers), !servers.isBlank());
            }
        });
        return plan;
    }

    private void addVerify(Plan plan, Environment env, SlotState state, String colour) {
        int front = frontPort(env, state);
        plan.step("verify through nginx 127.0.0.1:" + front + " that " + state.component + " " + colour + " answers", () -> {
            String version = load(env, state.component).slot(colour).version;
            awaitFront(front, version);
        });
    }

    // ------------------------------------------------------------------ processes

    private void startSlot(Environment env, String component, String colour, int port, String artifact, String health, String version)
            throws IOException {
        synchronized (lock) {
            stopSlot(env, component, colour);
            Files.createDirectories(stateDir.resolve("pids"));
            Files.createDirectories(stateDir.resolve("logs"));
            String name = env.name().toLowerCase() + "-" + component + "-" + colour;
            ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", "exec " + artifact)
                    .directory(new File(workingDir()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(stateDir.resolve("logs").resolve(name + ".log").toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().put("PORT", Integer.toString(port));
            builder.environment().put("VERSION", version);
            builder.environment().put("COLOR", colour);
            builder.environment().put("RUNWAY_COMPONENT", component);
            builder.environment().put("RUNWAY_ENVIRONMENT", env.name().toLowerCase());
            Process process = builder.start();
            Files.writeString(pidFile(env, component, colour), Long.toString(process.pid()));
            SlotState state = load(env, component);
            SlotState.Slot slot = state.slots.computeIfAbsent(colour, c -> new SlotState.Slot());
            slot.port = port;
            slot.pid = process.pid();
            slot.version = version;
            slot.artifact = artifact;
            slot.healthcheck = health;
            slot.running = true;
            save(env, state);
            LOG.infof("started %s %s %s (pid %d) on port %d", env, component, colour, process.pid(), port);
        }
    }

    private void stopSlot(Environment env, String component, String colour) throws IOException {
        synchronized (lock) {
            SlotState state = load(env, component);
            SlotState.Slot slot = state.slot(colour);
            if (slot != null) {
                slot.running = false;
                save(env, state);
                ProcessHandle.of(slot.pid).ifPresent(HostTarget::terminate);
            }
            Files.deleteIfExists(pidFile(env, component, colour));
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

    private void awaitHealthy(Environment env, String component, String colour, int port, String health) throws Exception {
        long deadline = System.nanoTime() + config.host().healthTimeout().toNanos();
        URI uri = URI.create("http://127.0.0.1:" + port + health);
        while (System.nanoTime() < deadline) {
            SlotState.Slot slot = load(env, component).slot(colour);
            if (slot == null || !alive(slot)) {
                throw new StepFailure("SLOT_EXITED", component + " " + colour + " exited before it was healthy; see "
                        + stateDir.resolve("logs").resolve(env.name().toLowerCase() + "-" + component + "-" + colour + ".log"), true);
            }
            if (status(uri) == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new StepFailure("HEALTH_TIMEOUT", uri + " did not answer 200 within " + config.host().healthTimeout().toSeconds() + " s", true);
    }

    /** Until the front answers with {@code version} several times in a row (new workers took over). */
    private void awaitFront(int front, String version) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + front + "/");
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        int inARow = 0;
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                inARow = version.equals(r.headers().firstValue("X-Release-Version").orElse(null)) || (r.statusCode() < 500 && r.headers().firstValue("X-Release-Version").isEmpty()) ? inARow + 1 : 0;
            } catch (IOException e) {
                inARow = 0;
            }
            if (inARow >= 3) {
                return;
            }
            Thread.sleep(20);
        }
        throw new StepFailure("SWITCH_NOT_VISIBLE", "nginx on " + front + " did not serve version " + version + " within 15 s", true);
    }

    private int status(URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static boolean alive(SlotState.Slot slot) {
        return ProcessHandle.of(slot.pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Restarts slots that should run but whose process died (crash, OOM, kill). */
    void supervise() {
        try {
            for (Environment env : Environment.values()) {
                Path dir = stateDir.resolve("slots").resolve(env.name().toLowerCase());
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                for (SlotState state : states(env)) {
                    for (Map.Entry<String, SlotState.Slot> e : state.slots.entrySet()) {
                        SlotState.Slot slot = e.getValue();
                        if (slot.running && !alive(slot)) {
                            LOG.warnf("%s %s %s (pid %d) is not running: restarting it", env, state.component, e.getKey(), slot.pid);
                            startSlot(env, state.component, e.getKey(), slot.port, slot.artifact, slot.healthcheck, slot.version);
                        }
                    }
                }
            }
        } catch (Exception e) {
            LOG.warn("slot supervision failed; trying again later", e);
        }
    }

    /** Stops every slot process and nginx this executor started (tests; `./runway down` does the same from pid files). */
    public void stopEverything() throws IOException {
        synchronized (lock) {
            for (Environment env : Environment.values()) {
                for (SlotState state : states(env)) {
                    for (String colour : COLOURS) {
                        stopSlot(env, state.component, colour);
                    }
                }
            }
            nginx.stop();
        }
        // Indexes handed out to plans that never ran (dry runs, failed deploys) go with everything else.
        synchronized (provisional) {
            provisional.clear();
        }
    }

    // ------------------------------------------------------------------ nginx config

    private String servers() throws IOException {
        StringBuilder out = new StringBuilder();
        for (Environment env : Environment.values()) {
            for (SlotState state : states(env)) {
                if (state.weights().isEmpty()) {
                    continue;
                }
                out.append("    ").append(upstream(env, state)).append('\n');
                out.append("    server { listen 127.0.0.1:").append(frontPort(env, state)).append("; location / { proxy_pass http://")
                        .append(upstreamName(env, state)).append("; proxy_set_header Host $host; proxy_next_upstream error timeout; } }\n");
            }
        }
        return out.toString();
    }

    private String upstream(Environment env, SlotState state) {
        StringBuilder u = new StringBuilder("upstream ").append(upstreamName(env, state)).append(" {");
        TreeMap<String, Integer> weights = state.weights();
        if (weights.isEmpty()) {
            return "upstream " + upstreamName(env, state) + " removed (no slot receives traffic)";
        }
        for (Map.Entry<String, Integer> w : weights.entrySet()) {
            u.append(" server 127.0.0.1:").append(port(env, state, w.getKey())).append(" weight=").append(w.getValue()).append(";");
        }
        return u.append(" }").toString();
    }

    private static String upstreamName(Environment env, SlotState state) {
        return env.name().toLowerCase() + "_" + state.component.replaceAll("[^A-Za-z0-9_]", "_");
    }

    private int frontPort(Environment env, SlotState state) {
        return dev.runway.executor.config.Environments.settings(config, env).nginxListenPort() + state.index;
    }

    private int port(Environment env, SlotState state, String colour) {
        EnvironmentSettings settings = dev.runway.executor.config.Environments.settings(config, env);
        return settings.slotBasePort() + 2 * state.index + COLOURS.indexOf(colour);
    }

    public int frontPort(Environment env, String component) {
        return frontPort(env, load(env, component));
    }

    // ------------------------------------------------------------------ state

    /** Components' states changed for this deployment's new slot (saved later, with the nginx change), and that slot. */
    private record NewSlots(Map<String, SlotState> states, String slot) {
    }

    /** Each named component's new slot, checked to be running, then {@code change}d. */
    private NewSlots withNewSlot(CommandContext ctx, List<String> named, java.util.function.BiConsumer<SlotState, String> change) {
        Map<String, SlotState> next = new TreeMap<>();
        String slot = null;
        for (String component : components(ctx, named)) {
            SlotState state = load(ctx.environment(), component);
            String colour = newSlot(ctx, state);
            requireRunning(state, colour, component);
            change.accept(state, colour);
            next.put(component, state);
            slot = colour;
        }
        return new NewSlots(next, slot);
    }

    private List<String> components(CommandContext ctx, List<String> named) {
        if (!named.isEmpty()) {
            return named;
        }
        return states(ctx.environment()).stream().map(s -> s.component).toList();
    }

    private String newSlot(CommandContext ctx, SlotState state) {
        return facts.get(ctx.deploymentId(), DeploymentFacts.NEW_SLOT).or(() -> java.util.Optional.ofNullable(state.candidate))
                .orElseThrow(() -> new StepFailure("NOT_DEPLOYED", state.component + " has no new version deployed by this deployment", false));
    }

    private static void requireRunning(SlotState state, String colour, String component) {
        SlotState.Slot slot = state.slot(colour);
        if (slot == null || !slot.running) {
            throw new StepFailure("SLOT_NOT_RUNNING", component + " " + colour + " is not running", false);
        }
    }

    /** The colour that carries traffic now: the live one, else a candidate already routed to (first release). */
    private static String serving(SlotState state) {
        // A saga ends at ShiftTraffic 100 (PromoteGreen is optional): a candidate with all the traffic is what serves.
        if (state.candidate != null && state.candidatePercent >= 100) {
            return state.candidate;
        }
        if (state.live != null) {
            return state.live;
        }
        return state.candidate != null && state.weights().containsKey(state.candidate) ? state.candidate : null;
    }

    private static List<String> routed(SlotState state) {
        return new ArrayList<>(state.weights().keySet());
    }

    private String workingDir() {
        return Path.of(config.host().workingDir()).toAbsolutePath().normalize().toString();
    }

    private Path pidFile(Environment env, String component, String colour) {
        return stateDir.resolve("pids").resolve(env.name().toLowerCase() + "-" + component + "-" + colour + ".pid");
    }

    private Path stateFile(Environment env, String component) {
        return stateDir.resolve("slots").resolve(env.name().toLowerCase()).resolve(component + ".json");
    }

    SlotState load(Environment env, String component) {
        if (!component.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new StepFailure("BAD_COMPONENT", "component name " + component + " is not a plain name", false);
        }
        try {
            Path file = stateFile(env, component);
            if (Files.exists(file)) {
                return json.readValue(file.toFile(), SlotState.class);
            }
            SlotState state = new SlotState();
            state.component = component;
            state.index = nextIndex(env, component);
            return state;
        } catch (IOException e) {
            throw new StepFailure("HOST_STATE_UNREADABLE", "cannot read " + stateFile(env, component) + ": " + e.getMessage(), false, e);
        }
    }

    private void save(Environment env, SlotState state) throws IOException {
        rememberIndex(env, state);
        Path file = stateFile(env, state.component);
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        json.writeValue(tmp.toFile(), state);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Port index of a component in an environment: fixed when its state is first saved (ports.properties). */
    private int nextIndex(Environment env, String component) throws IOException {
        Properties ports = ports(env);
        String known = ports.getProperty(component);
        if (known != null) {
            return Integer.parseInt(known);
        }
        // Not saved yet: hand out the next free index, the same one for every plan until it is saved.
        synchronized (provisional) {
            Map<String, Integer> forEnv = provisional.computeIfAbsent(env, e -> new java.util.HashMap<>());
            forEnv.keySet().removeIf(ports::containsKey);
            Integer index = forEnv.get(component);
            if (index == null) {
                java.util.Set<Integer> taken = new java.util.HashSet<>(forEnv.values());
                ports.values().forEach(v -> taken.add(Integer.parseInt(v.toString())));
                index = 0;
                while (taken.contains(index)) {
                    index++;
                }
                forEnv.put(component, index);
            }
            return index;
        }
    }

    private void rememberIndex(Environment env, SlotState state) throws IOException {
        Properties ports = ports(env);
        if (ports.getProperty(state.component) == null) {
            ports.setProperty(state.component, Integer.toString(state.index));
            Path file = portsFile(env);
            Files.createDirectories(file.getParent());
            try (var out = Files.newOutputStream(file)) {
                ports.store(out, "component -> port index (slot ports base+2i, base+2i+1; nginx listen port + i)");
            }
        }
    }

    private Properties ports(Environment env) throws IOException {
        Properties ports = new Properties();
        Path file = portsFile(env);
        if (Files.exists(file)) {
            try (var in = Files.newInputStream(file)) {
                ports.load(in);
            }
        }
        return ports;
    }

    private Path portsFile(Environment env) {
        return stateDir.resolve("slots").resolve(env.name().toLowerCase()).resolve("ports.properties");
    }

    private List<SlotState> states(Environment env) {
        Path dir = stateDir.resolve("slots").resolve(env.name().toLowerCase());
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
}

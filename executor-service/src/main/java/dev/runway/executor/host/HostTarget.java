package dev.runway.executor.host;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.runway.events.*;
import dev.runway.executor.commands.CommandContext;
import dev.runway.executor.store.DeploymentFacts;
import dev.runway.executor.commands.DeploymentTarget;
import dev.runway.executor.commands.Plan;
import dev.runway.executor.commands.ProjectEnv;
import dev.runway.executor.config.EnvironmentSettings;
import dev.runway.executor.config.Environments;
import dev.runway.executor.config.ExecutorConfig;
import dev.runway.executor.commands.StepFailure;
import dev.runway.executor.repository.Checkouts;
import io.quarkus.runtime.StartupEvent;

/**
 * Seed 001's host deployments, per project environment (issue 13): each component release runs as
 * a supervised process in a blue or green slot on its own port, started from a checkout of the
 * deployment's own commit, behind Runway's own nginx, where each project environment has its own
 * {@code server} on its own front port (upstream weights for canary, a checked atomic config swap
 * + reload for blue-green). The previous slot keeps running for instant rollback. State, ports and
 * files: {@link SlotStore}; processes: {@link SlotProcesses}; config: {@link Nginx}.
 */
@ApplicationScoped
public class HostTarget implements DeploymentTarget {

    private static final List<String> COLOURS = List.of("blue", "green");

    private final ExecutorConfig config;
    private final DeploymentFacts facts;
    private final Checkouts checkouts;
    private final SlotStore store;
    private final SlotProcesses processes;
    private final Nginx nginx;
    /** One nginx config for all project environments: its changes (and the states they render) are serialised. */
    private final Object lock = new Object();
    private ScheduledExecutorService supervisor;

    public HostTarget(ExecutorConfig config, DeploymentFacts facts, ObjectMapper json, Checkouts checkouts) {
        this.config = config;
        this.facts = facts;
        this.checkouts = checkouts;
        Path stateDir = Path.of(config.host().stateDir()).toAbsolutePath().normalize();
        this.store = new SlotStore(stateDir, json);
        this.processes = new SlotProcesses(store, config.host().healthTimeout());
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
        supervisor.scheduleWithFixedDelay(() -> {
            synchronized (lock) {
                processes.supervise();
                sweepCheckouts();
            }
        }, every, every, TimeUnit.MILLISECONDS);
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
        ProjectEnv key = ctx.projectEnv();
        Release release = release(ctx, key, command.getRepository(), "DeployGreen");
        Plan plan = new Plan();
        List<String> names = new ArrayList<>();
        List<ReleaseEndpoint> endpoints = new ArrayList<>();
        String slotOfAll = null;
        for (ComponentSpec spec : command.getComponents()) {
            SlotState state = load(ctx, key, spec.getName());
            String serving = serving(state);
            String colour = "blue".equals(serving) ? "green" : "blue";
            slotOfAll = colour;
            names.add(spec.getName());
            // The health-watcher scrapes the slot itself, not nginx: a canary's own errors are not diluted by the live slot.
            endpoints.add(ReleaseEndpoint.newBuilder().setComponent(spec.getName())
                    .setUrl("http://127.0.0.1:" + state.port(colour))
                    .setBaselineUrl(serving == null ? null : "http://127.0.0.1:" + state.port(serving))
                    .setFront(state.frontUrl()).build());
            // Recorded first: if the executor dies while the slot starts, the compensation knows which slot to remove.
            plan.step("record " + spec.getName() + " " + colour + " as this deployment's candidate (0% of traffic until ShiftTraffic)", () -> {
                synchronized (lock) {
                    SlotState s = load(ctx, key, spec.getName());
                    // A first release that got traffic but was never promoted is what serves now.
                    s.live = serving;
                    s.candidate = colour;
                    s.candidatePercent = 0;
                    store.save(s);
                }
                facts.put(ctx.deploymentId(), DeploymentFacts.TARGET, TargetKind.HOST.name());
                facts.put(ctx.deploymentId(), DeploymentFacts.STRATEGY, command.getStrategy().name());
                facts.put(ctx.deploymentId(), DeploymentFacts.NEW_SLOT, colour);
                facts.put(ctx.deploymentId(), DeploymentFacts.CHECKOUT, release.dir().toString());
                if (serving != null) {
                    facts.put(ctx.deploymentId(), DeploymentFacts.PREVIOUS_SLOT, serving);
                }
            });
            addStartSteps(plan, state, colour, spec.getArtifact(), spec.getHealthcheck(), command.getVersion(), release);
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
        Plan plan = routeSteps(new Plan(), changed.states());
        if (command.getPercent() == 100) {
            for (SlotState state : changed.states().values()) {
                addVerify(plan, state, state.candidate);
            }
        }
        String colour = changed.slot();
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
        String colour = changed.slot();
        return routeSteps(new Plan(), changed.states()).reply(() -> GreenPromoted.newBuilder().setHeader(ctx.replyHeader())
                .setStep(ctx.step()).setSlot(colour).build());
    }

    @Override
    public Plan decommission(CommandContext ctx, Decommission command) {
        ProjectEnv key = ctx.projectEnv();
        Plan plan = new Plan();
        for (String component : components(key, command.getComponents())) {
            SlotState state = existing(key, component);
            if (command.getSlot().equals(state.live) || state.weights().containsKey(command.getSlot())) {
                throw new StepFailure("SLOT_IN_USE", component + " " + command.getSlot() + " still receives traffic: promote or roll back first", false);
            }
            addStopStep(plan, state, command.getSlot(), false);
        }
        return plan.reply(() -> Decommissioned.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step())
                .setSlot(command.getSlot()).build());
    }

    @Override
    public Plan rollbackTraffic(CommandContext ctx, RollbackTraffic command) {
        ProjectEnv key = ctx.projectEnv();
        Map<String, SlotState> next = new TreeMap<>();
        String slot = null;
        for (String component : components(key, command.getComponents())) {
            SlotState state = existing(key, component);
            String newColour = newSlot(ctx, state);
            String previous = facts.get(ctx.deploymentId(), DeploymentFacts.PREVIOUS_SLOT)
                    .orElseGet(() -> newColour.equals(state.live) ? null : state.live);
            if (previous == null || previous.equals(newColour)) {
                throw new StepFailure("NO_PREVIOUS_SLOT", component + " has no previous version to send traffic back to", false);
            }
            requireRunning(state, previous);
            state.live = previous;
            state.candidate = newColour;
            state.candidatePercent = 0;
            next.put(component, state);
            slot = previous;
        }
        Plan plan = routeSteps(new Plan(), next);
        for (SlotState state : next.values()) {
            addVerify(plan, state, state.live);
        }
        String colour = slot;
        return plan.reply(() -> TrafficRolledBack.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step())
                .setSlot(colour).build());
    }

    @Override
    public Plan removeGreen(CommandContext ctx, RemoveGreen command) {
        ProjectEnv key = ctx.projectEnv();
        Plan plan = new Plan();
        Map<String, SlotState> next = new TreeMap<>();
        String slot = null;
        for (String component : components(key, command.getComponents())) {
            SlotState state = existing(key, component);
            String colour = newSlot(ctx, state);
            if (colour.equals(state.live)) {
                throw new StepFailure("SLOT_IN_USE", component + " " + colour + " is live: roll traffic back first", false);
            }
            state.candidate = null;
            state.candidatePercent = 0;
            next.put(component, state);
            slot = colour;
        }
        routeSteps(plan, next);
        for (SlotState state : next.values()) {
            addStopStep(plan, state, newSlot(ctx, state), true);
        }
        String colour = slot;
        return plan.reply(() -> GreenRemoved.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step()).setSlot(colour).build());
    }

    /** Rolling on one host: start the new version in the idle slot, switch to it, stop the old one. */
    @Override
    public Plan rollOut(CommandContext ctx, RollOut command) {
        ProjectEnv key = ctx.projectEnv();
        Release release = release(ctx, key, command.getRepository(), "RollOut");
        Plan plan = new Plan();
        List<String> names = new ArrayList<>();
        for (ComponentSpec spec : command.getComponents()) {
            SlotState state = load(ctx, key, spec.getName());
            String old = serving(state);
            String colour = "blue".equals(old) ? "green" : "blue";
            names.add(spec.getName());
            plan.step("record " + spec.getName() + " " + colour + " as this rolling deployment's slot", () -> {
                synchronized (lock) {
                    store.save(load(ctx, key, spec.getName()));
                }
            });
            addStartSteps(plan, state, colour, spec.getArtifact(), spec.getHealthcheck(), command.getVersion(), release);
            SlotState routed = state.copy();
            routed.live = colour;
            routed.candidate = null;
            routed.slots.computeIfAbsent(colour, c -> new SlotState.Slot()).running = true;
            if (old != null) {
                routed.slots.get(old).running = false;
            }
            routeSteps(plan, Map.of(spec.getName(), routed));
            addVerify(plan, routed, colour);
            if (old != null) {
                addStopStep(plan, state, old, false);
            }
            plan.step("remember " + spec.getName() + " " + (old == null ? "had no previous version" : old + " as the version to undo to"), () -> {
                facts.put(ctx.deploymentId(), DeploymentFacts.TARGET, TargetKind.HOST.name());
                facts.put(ctx.deploymentId(), DeploymentFacts.STRATEGY, Strategy.ROLLING.name());
                facts.put(ctx.deploymentId(), DeploymentFacts.NEW_SLOT, colour);
                facts.put(ctx.deploymentId(), DeploymentFacts.CHECKOUT, release.dir().toString());
                if (old != null) {
                    facts.put(ctx.deploymentId(), DeploymentFacts.PREVIOUS_SLOT, old);
                }
            });
        }
        return plan.reply(() -> RolledOut.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step())
                .setVersion(command.getVersion()).setComponents(names).build());
    }

    /** Start the previous version again in its slot, from its own checkout (kept with the slot), switch back, stop the new one. */
    @Override
    public Plan undoRollout(CommandContext ctx, UndoRollout command) {
        ProjectEnv key = ctx.projectEnv();
        Plan plan = new Plan();
        List<String> names = components(key, command.getComponents());
        for (String component : names) {
            SlotState state = existing(key, component);
            String current = newSlot(ctx, state);
            String previous = facts.get(ctx.deploymentId(), DeploymentFacts.PREVIOUS_SLOT).orElse(null);
            SlotState.Slot old = previous == null ? null : state.slot(previous);
            if (old == null || old.artifact == null || old.checkout == null) {
                throw new StepFailure("NO_PREVIOUS_VERSION", component + " has no previous version to undo to", false);
            }
            Path dir = Path.of(old.checkout);
            addStartSteps(plan, state, previous, old.artifact, old.healthcheck, old.version,
                    new Release(dir, "its previous checkout " + dir, () -> dir));
            SlotState routed = state.copy();
            routed.live = previous;
            routed.candidate = null;
            routed.slot(previous).running = true;
            if (routed.slot(current) != null) {
                routed.slot(current).running = false;
            }
            routeSteps(plan, Map.of(component, routed));
            addVerify(plan, routed, previous);
            addStopStep(plan, state, current, false);
        }
        return plan.reply(() -> RolloutUndone.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step())
                .setComponents(names).build());
    }

    // ------------------------------------------------------------------ steps

    /** Where a release runs from: the per-deployment checkout, made when the slot starts. */
    private record Release(Path dir, String description, Checkout make) {
    }

    @FunctionalInterface
    private interface Checkout {
        Path make();
    }

    /** Never a shared working directory: a host release needs the deployment's repository and commit. */
    private Release release(CommandContext ctx, ProjectEnv key, RepositoryRef repository, String command) {
        if (repository == null) {
            throw new StepFailure("NO_REPOSITORY", command + " for the host target names no repository: releases run from a checkout"
                    + " of the deployment's own commit, never from a shared working directory", false);
        }
        Path dir = checkouts.dir(key, ctx.deploymentId());
        String commit = Objects.toString(repository.getCommit(), "");
        return new Release(dir, "checkout of " + commit.substring(0, Math.min(12, commit.length())) + " at " + dir,
                () -> checkouts.ensure(key, ctx.deploymentId(), repository));
    }

    private void addStartSteps(Plan plan, SlotState state, String colour, String artifact, String healthcheck, String version, Release release) {
        String component = state.component;
        if (artifact == null || artifact.isBlank()) {
            throw new StepFailure("NO_ARTIFACT", component + " has no artifact (deploy.artifact) for the host target", false);
        }
        int port = state.port(colour);
        String health = healthcheck == null || healthcheck.isBlank() ? "/health" : healthcheck;
        SlotState.Slot current = state.slot(colour);
        // The release it replaces is stopped only once the checkout exists: a bad commit leaves the slot as it was.
        String replacing = current != null && current.running && SlotProcesses.alive(current)
                ? "; replaces pid " + current.pid + ", version " + current.version : "";
        plan.step("start `" + artifact + "` as " + component + " " + version + " in slot " + colour + " on 127.0.0.1:" + port
                + " (PORT=" + port + " VERSION=" + version + " COLOR=" + colour + ", cwd " + release.description() + replacing + ")", () -> {
                    Path dir = release.make().make();
                    synchronized (lock) {
                        processes.start(state, colour, artifact, health, version, dir, this::deleteCheckoutIfUnused);
                    }
                });
        plan.step("wait until http://127.0.0.1:" + port + health + " answers 200 (at most " + config.host().healthTimeout().toSeconds() + " s)",
                () -> processes.awaitHealthy(state, colour, health));
    }

    /** Stops a slot; with {@code dropCheckout} (RemoveGreen) its checkout goes with it. */
    private void addStopStep(Plan plan, SlotState state, String colour, boolean dropCheckout) {
        SlotState.Slot slot = state.slot(colour);
        String what = slot == null ? "nothing running" : "pid " + slot.pid + ", version " + slot.version;
        String checkout = slot == null ? null : slot.checkout;
        plan.step("stop " + state.component + " " + colour + " (" + what + ")"
                + (dropCheckout && checkout != null ? " and delete its checkout " + checkout : ""), () -> {
                    synchronized (lock) {
                        processes.stop(state, colour);
                        if (dropCheckout && checkout != null) {
                            SlotState stored = store.existing(key(state), state.component);
                            if (stored != null && stored.slot(colour) != null) {
                                stored.slot(colour).checkout = null;
                                store.save(stored);
                            }
                            deleteCheckoutIfUnused(checkout);
                        }
                    }
                });
    }

    /** A checkout no slot of any project environment runs from any more is deleted. */
    private void deleteCheckoutIfUnused(String checkout) {
        boolean used = store.all().stream().flatMap(s -> s.slots.values().stream()).anyMatch(s -> checkout.equals(s.checkout));
        if (!used) {
            checkouts.delete(Path.of(checkout));
        }
    }

    /** Deletes checkouts older than the retention that no slot of any project environment runs from. */
    void sweepCheckouts() {
        try {
            var cutoff = java.time.Instant.now().minus(config.host().checkoutRetention());
            for (Path dir : checkouts.olderThan(cutoff)) {
                deleteCheckoutIfUnused(dir.toString());
            }
        } catch (RuntimeException e) {
            org.jboss.logging.Logger.getLogger(HostTarget.class).warn("checkout sweep failed; trying again later", e);
        }
    }

    /** One step: the nginx change (shown as the new upstreams), nginx -t, atomic swap, reload. */
    private Plan routeSteps(Plan plan, Map<String, SlotState> next) {
        StringBuilder change = new StringBuilder();
        for (SlotState state : next.values()) {
            change.append(Nginx.upstream(state).replaceAll("\\s+", " ").trim()).append(' ');
        }
        plan.step("nginx: write " + nginx.config() + " with " + change.toString().trim() + "; nginx -t; swap; reload", () -> {
            synchronized (lock) {
                for (SlotState state : next.values()) {
                    SlotState stored = Optional.ofNullable(store.existing(key(state), state.component)).orElse(state);
                    stored.live = state.live;
                    stored.candidate = state.candidate;
                    stored.candidatePercent = state.candidatePercent;
                    store.save(stored);
                }
                String servers = Nginx.servers(store.all());
                nginx.apply(nginx.render(servers), !servers.isBlank());
            }
        });
        return plan;
    }

    private void addVerify(Plan plan, SlotState state, String colour) {
        plan.step("verify through nginx 127.0.0.1:" + state.front + " (" + state.project + " in " + state.environment + ") that "
                + state.component + " " + colour + " answers", () -> {
                    String version = store.existing(key(state), state.component).slot(colour).version;
                    processes.awaitFront(state.front, version);
                });
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

    /** The front URL of a project environment's component, once it has one (the executor's state). */
    public Optional<String> front(ProjectEnv key, String component) {
        return Optional.ofNullable(store.existing(key, component)).map(SlotState::frontUrl);
    }

    // ------------------------------------------------------------------ state

    /** Components' states changed for this deployment's new slot (saved later, with the nginx change), and that slot. */
    private record NewSlots(Map<String, SlotState> states, String slot) {
    }

    /** Each named component's new slot, checked to be running, then {@code change}d. */
    private NewSlots withNewSlot(CommandContext ctx, List<String> named, BiConsumer<SlotState, String> change) {
        ProjectEnv key = ctx.projectEnv();
        Map<String, SlotState> next = new TreeMap<>();
        String slot = null;
        for (String component : components(key, named)) {
            SlotState state = existing(key, component);
            String colour = newSlot(ctx, state);
            requireRunning(state, colour);
            change.accept(state, colour);
            next.put(component, state);
            slot = colour;
        }
        return new NewSlots(next, slot);
    }

    private SlotState load(CommandContext ctx, ProjectEnv key, String component) {
        EnvironmentSettings settings = Environments.settings(config, ctx.environment());
        return store.load(key, component, settings, !ctx.dryRun());
    }

    /** A component this project environment has deployed (another project's component of the same name is not it). */
    private SlotState existing(ProjectEnv key, String component) {
        SlotState state = store.existing(key, component);
        if (state == null) {
            throw new StepFailure("NOT_DEPLOYED", component + " has no release of " + key.project() + " in " + key.env() + " on this host", false);
        }
        return state;
    }

    private List<String> components(ProjectEnv key, List<String> named) {
        if (!named.isEmpty()) {
            return named;
        }
        return store.states(key).stream().map(s -> s.component).toList();
    }

    private String newSlot(CommandContext ctx, SlotState state) {
        return facts.get(ctx.deploymentId(), DeploymentFacts.NEW_SLOT).or(() -> Optional.ofNullable(state.candidate))
                .orElseThrow(() -> new StepFailure("NOT_DEPLOYED", state.component + " has no new version deployed by this deployment", false));
    }

    private static void requireRunning(SlotState state, String colour) {
        SlotState.Slot slot = state.slot(colour);
        if (slot == null || !slot.running) {
            throw new StepFailure("SLOT_NOT_RUNNING", state.component + " " + colour + " is not running", false);
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

    private static ProjectEnv key(SlotState state) {
        return SlotStore.keyOf(state);
    }
}

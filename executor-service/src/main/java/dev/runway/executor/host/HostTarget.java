package dev.runway.executor.host;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.runway.events.ComponentSpec;
import dev.runway.events.Decommission;
import dev.runway.events.Decommissioned;
import dev.runway.events.DeployGreen;
import dev.runway.events.GreenDeployed;
import dev.runway.events.GreenPromoted;
import dev.runway.events.GreenRemoved;
import dev.runway.events.PromoteGreen;
import dev.runway.events.ReleaseEndpoint;
import dev.runway.events.RemoveGreen;
import dev.runway.events.RollOut;
import dev.runway.events.RollbackTraffic;
import dev.runway.events.RolledOut;
import dev.runway.events.RolloutUndone;
import dev.runway.events.ShiftTraffic;
import dev.runway.events.Strategy;
import dev.runway.events.TargetKind;
import dev.runway.events.TrafficRolledBack;
import dev.runway.events.TrafficShifted;
import dev.runway.events.UndoRollout;
import dev.runway.executor.commands.CommandContext;
import dev.runway.executor.commands.DeploymentTarget;
import dev.runway.executor.commands.Plan;
import dev.runway.executor.commands.ProjectEnv;
import dev.runway.executor.commands.StepFailure;
import dev.runway.executor.host.SlotSteps.Release;
import dev.runway.executor.store.DeploymentFacts;

/**
 * sop.md 001's host deployments as plans, per project environment (issue 13): each component release
 * runs as a supervised process in a blue or green slot on its own port, started from a checkout of
 * the deployment's own commit, behind Runway's own nginx, where each project environment has its own
 * {@code server} on its own front port (upstream weights for canary, a checked atomic config swap
 * + reload for blue-green). The previous slot keeps running for instant rollback. This class decides
 * which slot and which traffic ({@link SlotLookup} reads what is there); {@link SlotSteps} words the
 * steps and {@link HostSlots} carries them out.
 */
@ApplicationScoped
public class HostTarget implements DeploymentTarget {

    /** TrafficRolledBack's slot when the undone release was the first: no slot serves, its front is closed. */
    static final String FIRST_RELEASE_UNDONE = "none (first release: front closed)";

    private final DeploymentFacts facts;
    private final HostSlots slots;
    private final SlotLookup lookup;
    private final SlotSteps steps;

    public HostTarget(DeploymentFacts facts, HostSlots slots, SlotLookup lookup, SlotSteps steps) {
        this.facts = facts;
        this.slots = slots;
        this.lookup = lookup;
        this.steps = steps;
    }

    @Override
    public TargetKind kind() {
        return TargetKind.HOST;
    }

    @Override
    public Plan deployGreen(CommandContext ctx, DeployGreen command) {
        ProjectEnv key = ctx.projectEnv();
        Release release = steps.release(ctx, key, command.getRepository(), "DeployGreen");
        Plan plan = new Plan();
        List<String> names = new ArrayList<>();
        List<ReleaseEndpoint> endpoints = new ArrayList<>();
        String slotOfAll = null;
        for (ComponentSpec spec : command.getComponents()) {
            SlotState state = lookup.load(ctx, key, spec.getName());
            String serving = state.serving();
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
                slots.recordCandidate(key, spec.getName(), lookup.settings(ctx), serving, colour);
                facts.put(ctx.deploymentId(), DeploymentFacts.TARGET, TargetKind.HOST.name());
                facts.put(ctx.deploymentId(), DeploymentFacts.STRATEGY, command.getStrategy().name());
                facts.put(ctx.deploymentId(), DeploymentFacts.NEW_SLOT, colour);
                facts.put(ctx.deploymentId(), DeploymentFacts.CHECKOUT, release.dir().toString());
                if (serving != null) {
                    facts.put(ctx.deploymentId(), DeploymentFacts.PREVIOUS_SLOT, serving);
                }
            });
            steps.start(plan, state, colour, spec.getArtifact(), spec.getHealthcheck(), command.getVersion(), release);
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
        SlotLookup.NewSlots changed = lookup.withNewSlot(ctx, command.getComponents(), (state, colour) -> {
            state.candidate = colour;
            state.candidatePercent = command.getPercent();
        });
        Plan plan = steps.route(new Plan(), changed.states());
        if (command.getPercent() == 100) {
            for (SlotState state : changed.states().values()) {
                steps.verify(plan, state, state.candidate);
            }
        }
        String colour = changed.slot();
        return plan.reply(() -> TrafficShifted.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step())
                .setPercent(command.getPercent()).setSlot(colour).build());
    }

    @Override
    public Plan promoteGreen(CommandContext ctx, PromoteGreen command) {
        SlotLookup.NewSlots changed = lookup.withNewSlot(ctx, command.getComponents(), (state, colour) -> {
            state.live = colour;
            state.candidate = null;
            state.candidatePercent = 0;
        });
        String colour = changed.slot();
        return steps.route(new Plan(), changed.states()).reply(() -> GreenPromoted.newBuilder().setHeader(ctx.replyHeader())
                .setStep(ctx.step()).setSlot(colour).build());
    }

    @Override
    public Plan decommission(CommandContext ctx, Decommission command) {
        ProjectEnv key = ctx.projectEnv();
        Plan plan = new Plan();
        for (String component : lookup.components(key, command.getComponents())) {
            SlotState state = lookup.existing(key, component);
            if (command.getSlot().equals(state.live) || state.weights().containsKey(command.getSlot())) {
                throw new StepFailure("SLOT_IN_USE", component + " " + command.getSlot() + " still receives traffic: promote or roll back first", false);
            }
            steps.stop(plan, state, command.getSlot(), false);
        }
        return plan.reply(() -> Decommissioned.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step())
                .setSlot(command.getSlot()).build());
    }

    /**
     * Traffic back on the slot that served before this deployment. A component's first release has none: its undo
     * takes the release off its front (the project environment's nginx server is removed, as before the deployment),
     * so the saga can go on to RemoveGreen instead of stopping at a step that cannot succeed.
     */
    @Override
    public Plan rollbackTraffic(CommandContext ctx, RollbackTraffic command) {
        ProjectEnv key = ctx.projectEnv();
        Map<String, SlotState> back = new TreeMap<>();
        Map<String, SlotState> closed = new TreeMap<>();
        String slot = null;
        for (String component : lookup.components(key, command.getComponents())) {
            SlotState state = lookup.existing(key, component);
            String newColour = lookup.newSlot(ctx, state);
            String previous = facts.get(ctx.deploymentId(), DeploymentFacts.PREVIOUS_SLOT)
                    .orElseGet(() -> newColour.equals(state.live) ? null : state.live);
            if (previous == null) {
                // First release: nothing served before it, so nothing serves after its undo.
                state.live = null;
                state.candidate = null;
                state.candidatePercent = 0;
                closed.put(component, state);
                continue;
            }
            if (previous.equals(newColour)) {
                throw new StepFailure("NO_PREVIOUS_SLOT", component + " has no previous version to send traffic back to", false);
            }
            SlotLookup.requireRunning(state, previous);
            state.live = previous;
            state.candidate = newColour;
            state.candidatePercent = 0;
            back.put(component, state);
            slot = previous;
        }
        Map<String, SlotState> next = new TreeMap<>(back);
        next.putAll(closed);
        Plan plan = steps.route(new Plan(), next);
        for (SlotState state : back.values()) {
            steps.verify(plan, state, state.live);
        }
        for (SlotState state : closed.values()) {
            steps.verifyClosed(plan, state);
        }
        String colour = slot == null ? FIRST_RELEASE_UNDONE : slot;
        return plan.reply(() -> TrafficRolledBack.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step())
                .setSlot(colour).build());
    }

    @Override
    public Plan removeGreen(CommandContext ctx, RemoveGreen command) {
        ProjectEnv key = ctx.projectEnv();
        Plan plan = new Plan();
        Map<String, SlotState> next = new TreeMap<>();
        String slot = null;
        for (String component : lookup.components(key, command.getComponents())) {
            SlotState state = lookup.existing(key, component);
            String colour = lookup.newSlot(ctx, state);
            if (colour.equals(state.live)) {
                throw new StepFailure("SLOT_IN_USE", component + " " + colour + " is live: roll traffic back first", false);
            }
            state.candidate = null;
            state.candidatePercent = 0;
            next.put(component, state);
            slot = colour;
        }
        steps.route(plan, next);
        for (SlotState state : next.values()) {
            steps.stop(plan, state, lookup.newSlot(ctx, state), true);
        }
        String colour = slot;
        return plan.reply(() -> GreenRemoved.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step()).setSlot(colour).build());
    }

    /** Rolling on one host: start the new version in the idle slot, switch to it, stop the old one. */
    @Override
    public Plan rollOut(CommandContext ctx, RollOut command) {
        ProjectEnv key = ctx.projectEnv();
        Release release = steps.release(ctx, key, command.getRepository(), "RollOut");
        Plan plan = new Plan();
        List<String> names = new ArrayList<>();
        for (ComponentSpec spec : command.getComponents()) {
            SlotState state = lookup.load(ctx, key, spec.getName());
            String old = state.serving();
            String colour = "blue".equals(old) ? "green" : "blue";
            names.add(spec.getName());
            plan.step("record " + spec.getName() + " " + colour + " as this rolling deployment's slot",
                    () -> slots.record(key, spec.getName(), lookup.settings(ctx)));
            steps.start(plan, state, colour, spec.getArtifact(), spec.getHealthcheck(), command.getVersion(), release);
            SlotState routed = state.copy();
            routed.live = colour;
            routed.candidate = null;
            routed.slots.computeIfAbsent(colour, c -> new SlotState.Slot()).running = true;
            if (old != null) {
                routed.slots.get(old).running = false;
            }
            steps.route(plan, Map.of(spec.getName(), routed));
            steps.verify(plan, routed, colour);
            if (old != null) {
                steps.stop(plan, state, old, false);
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
        List<String> names = lookup.components(key, command.getComponents());
        for (String component : names) {
            SlotState state = lookup.existing(key, component);
            String current = lookup.newSlot(ctx, state);
            String previous = facts.get(ctx.deploymentId(), DeploymentFacts.PREVIOUS_SLOT).orElse(null);
            SlotState.Slot old = previous == null ? null : state.slot(previous);
            if (old == null || old.artifact == null || old.checkout == null) {
                throw new StepFailure("NO_PREVIOUS_VERSION", component + " has no previous version to undo to", false);
            }
            Path dir = Path.of(old.checkout);
            steps.start(plan, state, previous, old.artifact, old.healthcheck, old.version, SlotSteps.existing(dir, old.commit, "its previous checkout " + dir));
            SlotState routed = state.copy();
            routed.live = previous;
            routed.candidate = null;
            routed.slot(previous).running = true;
            if (routed.slot(current) != null) {
                routed.slot(current).running = false;
            }
            steps.route(plan, Map.of(component, routed));
            steps.verify(plan, routed, previous);
            steps.stop(plan, state, current, false);
        }
        return plan.reply(() -> RolloutUndone.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step())
                .setComponents(names).build());
    }
}

package dev.runway.executor.host;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;

import jakarta.enterprise.context.ApplicationScoped;

import dev.runway.executor.commands.CommandContext;
import dev.runway.executor.commands.ProjectEnv;
import dev.runway.executor.commands.StepFailure;
import dev.runway.executor.config.EnvironmentSettings;
import dev.runway.executor.config.Environments;
import dev.runway.executor.config.ExecutorConfig;
import dev.runway.executor.store.DeploymentFacts;

/**
 * Which slots a host command acts on, read before it is planned: the project environment's
 * components and their states, and the slot this deployment deployed to (its facts, else the
 * candidate), refused with the reason when there is none.
 */
@ApplicationScoped
public class SlotLookup {

    private final ExecutorConfig config;
    private final DeploymentFacts facts;
    private final HostSlots slots;

    public SlotLookup(ExecutorConfig config, DeploymentFacts facts, HostSlots slots) {
        this.config = config;
        this.facts = facts;
        this.slots = slots;
    }

    /** Components' states changed for this deployment's new slot (saved later, with the nginx change), and that slot. */
    record NewSlots(Map<String, SlotState> states, String slot) {
    }

    /** Each named component's new slot, checked to be running, then {@code change}d. */
    NewSlots withNewSlot(CommandContext ctx, List<String> named, BiConsumer<SlotState, String> change) {
        ProjectEnv key = ctx.projectEnv();
        Map<String, SlotState> next = new TreeMap<>();
        String slot = null;
        for (String component : components(key, named)) {
            // A dry run's DeployGreen started and recorded nothing: it plans against the colour it would have used.
            SlotState state = ctx.dryRun() ? load(ctx, key, component) : existing(key, component);
            String colour = ctx.dryRun() ? wouldDeployTo(state) : newSlot(ctx, state);
            if (!ctx.dryRun()) {
                requireRunning(state, colour);
            }
            change.accept(state, colour);
            next.put(component, state);
            slot = colour;
        }
        return new NewSlots(next, slot);
    }

    EnvironmentSettings settings(CommandContext ctx) {
        return Environments.settings(config, ctx.environment());
    }

    SlotState load(CommandContext ctx, ProjectEnv key, String component) {
        return slots.load(key, component, settings(ctx), !ctx.dryRun());
    }

    /** A component this project environment has deployed (another project's component of the same name is not it). */
    SlotState existing(ProjectEnv key, String component) {
        SlotState state = slots.existing(key, component);
        if (state == null) {
            throw new StepFailure("NOT_DEPLOYED", component + " has no release of " + key.project() + " in " + key.env() + " on this host", false);
        }
        return state;
    }

    List<String> components(ProjectEnv key, List<String> named) {
        if (!named.isEmpty()) {
            return named;
        }
        return slots.states(key).stream().map(s -> s.component).toList();
    }

    String newSlot(CommandContext ctx, SlotState state) {
        return facts.get(ctx.deploymentId(), DeploymentFacts.NEW_SLOT).or(() -> Optional.ofNullable(state.candidate))
                .orElseThrow(() -> new StepFailure("NOT_DEPLOYED", state.component + " has no new version deployed by this deployment", false));
    }

    /** The colour a DeployGreen of this component would start now: the one not serving (blue first). */
    static String wouldDeployTo(SlotState state) {
        return "blue".equals(state.serving()) ? "green" : "blue";
    }

    static void requireRunning(SlotState state, String colour) {
        SlotState.Slot slot = state.slot(colour);
        if (slot == null || !slot.running) {
            throw new StepFailure("SLOT_NOT_RUNNING", state.component + " " + colour + " is not running", false);
        }
    }
}

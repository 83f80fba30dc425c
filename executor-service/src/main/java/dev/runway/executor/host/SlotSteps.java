package dev.runway.executor.host;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.runway.events.RepositoryRef;
import dev.runway.executor.commands.CommandContext;
import dev.runway.executor.commands.Plan;
import dev.runway.executor.commands.ProjectEnv;
import dev.runway.executor.commands.StepFailure;
import dev.runway.executor.config.ExecutorConfig;
import dev.runway.executor.repository.Checkouts;

/**
 * The host target's recurring steps, each as the plan's words and the {@link HostSlots} call that
 * carries it out: start a release in a slot and wait for its health, stop a slot, route nginx,
 * verify through the front.
 */
@ApplicationScoped
public class SlotSteps {

    private final HostSlots slots;
    private final Checkouts checkouts;
    private final ExecutorConfig config;
    private final ReleaseLauncher launcher;

    public SlotSteps(HostSlots slots, Checkouts checkouts, ExecutorConfig config, ReleaseLauncher launcher) {
        this.slots = slots;
        this.checkouts = checkouts;
        this.config = config;
        this.launcher = launcher;
    }

    /** Where a release runs from: the per-deployment checkout of {@code commit}, made when the slot starts. */
    record Release(Path dir, String commit, String description, Supplier<Path> make) {
    }

    /** Never a shared working directory: a host release needs the deployment's repository and commit. */
    Release release(CommandContext ctx, ProjectEnv key, RepositoryRef repository, String command) {
        if (repository == null) {
            throw new StepFailure("NO_REPOSITORY", command + " for the host target names no repository: releases run from a checkout"
                    + " of the deployment's own commit, never from a shared working directory", false);
        }
        Path dir = checkouts.dir(key, ctx.deploymentId());
        String commit = Objects.toString(repository.getCommit(), "");
        return new Release(dir, commit.strip(), "checkout of " + commit.substring(0, Math.min(12, commit.length())) + " at " + dir,
                () -> checkouts.ensure(key, ctx.deploymentId(), repository));
    }

    /** A release that already has its checkout (kept with its slot); {@code commit} null = the checkout's HEAD (slots of before issue 15). */
    static Release existing(Path dir, String commit, String description) {
        return new Release(dir, commit, description, () -> dir);
    }

    void start(Plan plan, SlotState state, String colour, String artifact, String healthcheck, String version, Release release) {
        String component = state.component;
        if (artifact == null || artifact.isBlank()) {
            throw new StepFailure("NO_ARTIFACT", component + " has no artifact (deploy.artifact) for the host target", false);
        }
        int port = state.port(colour);
        String health = healthcheck == null || healthcheck.isBlank() ? "/health" : healthcheck;
        // Checked while planning (a dry run too): an artifact that needs a shell, a missing run-as user, exposed secrets.
        List<String> argv = ReleaseLauncher.argv(artifact);
        ReleaseLauncher.Identity user = launcher.identity();
        SlotState.Slot current = state.slot(colour);
        // The release it replaces is stopped only once the checkout exists: a bad commit leaves the slot as it was.
        String replacing = current != null && current.running && SlotProcesses.alive(current)
                ? "; replaces pid " + current.pid + ", version " + current.version : "";
        plan.step("start `" + artifact + "` as " + component + " " + version + " in slot " + colour + " on 127.0.0.1:" + port
                + " (argv " + argv + ", as " + user + (user.dropped() ? "" : ", the executor's own user") + ", environment cleared:"
                + " PORT=" + port + " VERSION=" + version + " COLOR=" + colour + " RUNWAY_PROJECT RUNWAY_ENVIRONMENT RUNWAY_COMPONENT"
                + " PATH HOME LANG + config/" + state.environment + ".env of the commit + the operator's secrets for the project environment,"
                + " cwd " + release.description() + replacing + ")",
                () -> slots.start(state, colour, artifact, health, version, release.make(), release.commit()));
        plan.step("wait until http://127.0.0.1:" + port + health + " answers 200 (at most " + config.host().healthTimeout().toSeconds() + " s)",
                () -> slots.awaitHealthy(state, colour, health));
    }

    /** Stops a slot; with {@code dropCheckout} (RemoveGreen) its checkout goes with it. */
    void stop(Plan plan, SlotState state, String colour, boolean dropCheckout) {
        SlotState.Slot slot = state.slot(colour);
        String what = slot == null ? "nothing running" : "pid " + slot.pid + ", version " + slot.version;
        String checkout = slot == null || !dropCheckout ? null : slot.checkout;
        plan.step("stop " + state.component + " " + colour + " (" + what + ")" + (checkout != null ? " and delete its checkout " + checkout : ""),
                () -> slots.stop(state, colour, checkout));
    }

    /** One step: the nginx change (shown as the new upstreams), nginx -t, atomic swap, reload. */
    Plan route(Plan plan, Map<String, SlotState> next) {
        StringBuilder change = new StringBuilder();
        for (SlotState state : next.values()) {
            change.append(NginxConfig.upstream(state).replaceAll("\\s+", " ").trim()).append(' ');
        }
        return plan.step("nginx: write " + slots.nginxConfig() + " with " + change.toString().trim() + "; nginx -t; swap; reload",
                () -> slots.route(next.values()));
    }

    void verify(Plan plan, SlotState state, String colour) {
        plan.step("verify through nginx 127.0.0.1:" + state.front + " (" + state.project + " in " + state.environment + ") that "
                + state.component + " " + colour + " answers", () -> slots.awaitFront(state, colour));
    }

    void verifyClosed(Plan plan, SlotState state) {
        plan.step("verify that nginx 127.0.0.1:" + state.front + " (" + state.project + " in " + state.environment + ") no longer serves "
                + state.component + " (its first release is undone)", () -> slots.awaitFrontClosed(state));
    }
}

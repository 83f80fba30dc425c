package dev.runway.executor.kubernetes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
import dev.runway.executor.commands.StepFailure;
import dev.runway.executor.config.Environments;
import dev.runway.executor.config.ExecutorConfig;
import dev.runway.executor.store.DeploymentFacts;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * Kubernetes commands as plans. Blue-green: Deployments {@code <c>-blue}/{@code <c>-green}, the
 * Service {@code <c>} selects the live colour (sop.md 003 step 5), the old colour keeps running until
 * Decommission scales it to 0. Canary: {@link TrafficSteps}. Rolling: Deployment {@code <c>} with
 * maxSurge/maxUnavailable; its undo restores the previous pod template. Each project environment has
 * its own namespace ({@link Namespaces}); objects keep their component names inside it. The objects
 * come from {@link Manifests}, the API calls from {@link Cluster}.
 */
@ApplicationScoped
public class KubernetesTarget implements DeploymentTarget {

    private static final String PREVIOUS_TEMPLATE = "rollout.previous.";

    private final Cluster cluster;
    private final Namespaces namespaces;
    private final TrafficSteps traffic;
    private final ExecutorConfig config;
    private final DeploymentFacts facts;

    public KubernetesTarget(Cluster cluster, Namespaces namespaces, TrafficSteps traffic, ExecutorConfig config, DeploymentFacts facts) {
        this.cluster = cluster;
        this.namespaces = namespaces;
        this.traffic = traffic;
        this.config = config;
        this.facts = facts;
    }

    @Override
    public TargetKind kind() {
        return TargetKind.KUBERNETES;
    }

    // ------------------------------------------------------------------ blue-green / canary

    @Override
    public Plan deployGreen(CommandContext ctx, DeployGreen command) {
        String ns = namespaces.of(ctx);
        Plan plan = new Plan();
        List<String> names = new ArrayList<>();
        List<ReleaseEndpoint> endpoints = new ArrayList<>();
        String slot = "blue";
        for (ComponentSpec spec : command.getComponents()) {
            requireImage(spec);
            String live = cluster.liveColour(ns, spec.getName()).orElse(null);
            String colour = "blue".equals(live) ? "green" : "blue";
            slot = colour;
            names.add(spec.getName());
            // Each colour has its own Service, so the health-watcher (in the cluster) reaches one release only.
            endpoints.add(ReleaseEndpoint.newBuilder().setComponent(spec.getName())
                    .setUrl(Manifests.serviceUrl(ns, spec.getName() + "-" + colour, spec))
                    .setBaselineUrl(live == null ? null : Manifests.serviceUrl(ns, spec.getName() + "-" + live, spec))
                    // The project environment's own entry: Service <component> in its namespace.
                    .setFront(Manifests.serviceUrl(ns, spec.getName(), spec)).build());
            Deployment deployment = Manifests.deployment(spec, spec.getName() + "-" + colour, command.getVersion(), colour, null, null,
                    config.kubernetes().progressDeadlineSeconds());
            Service colourService = Manifests.service(spec.getName() + "-" + colour, spec, Map.of(Manifests.APP, spec.getName(), Manifests.COLOR, colour));
            plan.step("record " + spec.getName() + " " + colour + " as this deployment's new colour" + (live == null ? "" : " (live: " + live + ")")
                    + namespaces.creating(ns), () -> {
                namespaces.ensure(ns, ctx);
                facts.put(ctx.deploymentId(), DeploymentFacts.TARGET, TargetKind.KUBERNETES.name());
                facts.put(ctx.deploymentId(), DeploymentFacts.STRATEGY, command.getStrategy().name());
                facts.put(ctx.deploymentId(), DeploymentFacts.NEW_SLOT, colour);
                if (live != null) {
                    facts.put(ctx.deploymentId(), DeploymentFacts.PREVIOUS_SLOT, live);
                }
            });
            plan.step("apply apps/v1 Deployment " + ns + "/" + deployment.getMetadata().getName() + " (image " + spec.getImage()
                    + ", " + spec.getReplicas() + " replica(s), cpu " + spec.getCpu() + ", memory " + spec.getMemory()
                    + ", probes " + Manifests.health(spec) + " on " + Manifests.port(spec) + ")", () -> cluster.apply(ns, deployment));
            plan.step("apply v1 Service " + ns + "/" + colourService.getMetadata().getName() + " selecting color=" + colour,
                    () -> cluster.apply(ns, colourService));
            plan.step("wait for the rollout of " + ns + "/" + deployment.getMetadata().getName() + " (" + spec.getReplicas()
                    + " ready, progress deadline " + config.kubernetes().progressDeadlineSeconds() + " s)",
                    () -> cluster.awaitRollout(ns, deployment.getMetadata().getName()));
        }
        String colour = slot;
        return plan.reply(() -> GreenDeployed.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step())
                .setVersion(command.getVersion()).setSlot(colour).setComponents(names).setEndpoints(endpoints).build());
    }

    @Override
    public Plan shiftTraffic(CommandContext ctx, ShiftTraffic command) {
        int percent = command.getPercent();
        if (percent < 0 || percent > 100) {
            throw new StepFailure("BAD_PERCENT", "percent must be 0..100, was " + percent, false);
        }
        String ns = namespaces.of(ctx);
        Optional<String> gateway = gateway(ctx);
        String colour = newColour(ctx);
        String previous = previousColour(ctx).orElse(null);
        Plan plan = new Plan();
        for (String component : components(ctx, command.getComponents())) {
            requireDeployment(ns, component + "-" + colour);
            if (percent == 100 || previous == null) {
                traffic.select(plan, ns, component, colour, "app=" + component + ",color=" + colour + " (all traffic to " + colour + ")");
                if (gateway.isPresent()) {
                    traffic.route(plan, ns, gateway.get(), component, previous, colour, 100);
                }
                if (previous != null && gateway.isEmpty()) {
                    traffic.restoreReplicas(plan, ns, component + "-" + previous);
                }
            } else if (gateway.isPresent()) {
                traffic.route(plan, ns, gateway.get(), component, previous, colour, percent);
            } else {
                traffic.replicaRatio(plan, ns, component, requireDeployment(ns, component + "-" + previous), previous, colour, percent);
            }
        }
        return plan.reply(() -> TrafficShifted.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step())
                .setPercent(percent).setSlot(colour).build());
    }

    @Override
    public Plan promoteGreen(CommandContext ctx, PromoteGreen command) {
        String ns = namespaces.of(ctx);
        String colour = newColour(ctx);
        String previous = previousColour(ctx).orElse(null);
        Optional<String> gateway = gateway(ctx);
        Plan plan = new Plan();
        for (String component : components(ctx, command.getComponents())) {
            requireDeployment(ns, component + "-" + colour);
            traffic.select(plan, ns, component, colour, "color=" + colour + " (live colour)");
            if (gateway.isPresent()) {
                traffic.route(plan, ns, gateway.get(), component, previous, colour, 100);
            }
            plan.step("label apps/v1 Deployment " + ns + "/" + component + "-" + colour + " " + Manifests.LIVE + "=true",
                    () -> cluster.label(ns, component + "-" + colour, Manifests.LIVE, "true"));
            if (previous != null) {
                plan.step("label apps/v1 Deployment " + ns + "/" + component + "-" + previous + " " + Manifests.LIVE
                        + "=false (kept running for instant rollback)", () -> cluster.label(ns, component + "-" + previous, Manifests.LIVE, "false"));
            }
        }
        return plan.reply(() -> GreenPromoted.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step()).setSlot(colour).build());
    }

    @Override
    public Plan decommission(CommandContext ctx, Decommission command) {
        String ns = namespaces.of(ctx);
        String slot = command.getSlot();
        Plan plan = new Plan();
        for (String component : components(ctx, command.getComponents())) {
            if (slot.equals(cluster.liveColour(ns, component).orElse(null))) {
                throw new StepFailure("SLOT_IN_USE", component + "-" + slot + " is selected by Service " + component, false);
            }
            String name = component + "-" + slot;
            plan.step("scale apps/v1 Deployment " + ns + "/" + name + " to 0 and annotate " + Manifests.DECOMMISSIONED_AT
                    + " (object kept: its image stays available for a late rollback)",
                    () -> cluster.scaleToZero(ns, name, Manifests.DECOMMISSIONED_AT, Instant.now().toString()));
        }
        return plan.reply(() -> Decommissioned.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step()).setSlot(slot).build());
    }

    @Override
    public Plan rollbackTraffic(CommandContext ctx, RollbackTraffic command) {
        String ns = namespaces.of(ctx);
        String colour = newColour(ctx);
        String previous = previousColour(ctx).orElseThrow(() -> new StepFailure("NO_PREVIOUS_SLOT",
                "this deployment replaced nothing: there is no previous colour to send traffic back to", false));
        Optional<String> gateway = gateway(ctx);
        Plan plan = new Plan();
        for (String component : components(ctx, command.getComponents())) {
            requireDeployment(ns, component + "-" + previous);
            if (gateway.isEmpty()) {
                traffic.restoreReplicas(plan, ns, component + "-" + previous);
            }
            traffic.select(plan, ns, component, previous, "color=" + previous + " (all traffic back)");
            if (gateway.isPresent()) {
                traffic.route(plan, ns, gateway.get(), component, previous, colour, 0);
            }
        }
        return plan.reply(() -> TrafficRolledBack.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step()).setSlot(previous).build());
    }

    @Override
    public Plan removeGreen(CommandContext ctx, RemoveGreen command) {
        String ns = namespaces.of(ctx);
        String colour = newColour(ctx);
        Plan plan = new Plan();
        for (String component : components(ctx, command.getComponents())) {
            if (colour.equals(cluster.liveColour(ns, component).orElse(null))) {
                throw new StepFailure("SLOT_IN_USE", component + "-" + colour + " is live: roll traffic back first", false);
            }
            plan.step("delete apps/v1 Deployment " + ns + "/" + component + "-" + colour, () -> cluster.deleteDeployment(ns, component + "-" + colour));
            plan.step("delete v1 Service " + ns + "/" + component + "-" + colour, () -> cluster.deleteService(ns, component + "-" + colour));
        }
        return plan.reply(() -> GreenRemoved.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step()).setSlot(colour).build());
    }

    // ------------------------------------------------------------------ rolling

    @Override
    public Plan rollOut(CommandContext ctx, RollOut command) {
        String ns = namespaces.of(ctx);
        Plan plan = new Plan();
        List<String> names = new ArrayList<>();
        for (ComponentSpec spec : command.getComponents()) {
            requireImage(spec);
            String name = spec.getName();
            names.add(name);
            Deployment current = cluster.deployment(ns, name).orElse(null);
            Deployment next = Manifests.deployment(spec, name, command.getVersion(), null, command.getMaxSurge(), command.getMaxUnavailable(),
                    config.kubernetes().progressDeadlineSeconds());
            plan.step("remember the current pod template of " + ns + "/" + name + (current == null ? " (none: first rollout)" : "")
                    + " for `rollout undo`" + namespaces.creating(ns), () -> {
                        namespaces.ensure(ns, ctx);
                        facts.put(ctx.deploymentId(), PREVIOUS_TEMPLATE + name,
                                current == null ? "" : Serialization.asJson(current.getSpec().getTemplate()));
                    });
            plan.step("apply apps/v1 Deployment " + ns + "/" + name + " (image " + spec.getImage() + ", RollingUpdate maxSurge "
                    + command.getMaxSurge() + " maxUnavailable " + command.getMaxUnavailable() + ", " + spec.getReplicas() + " replica(s))",
                    () -> cluster.apply(ns, next));
            Service service = Manifests.service(name, spec, Map.of(Manifests.APP, name));
            plan.step("apply v1 Service " + ns + "/" + name + " selecting app=" + name, () -> cluster.apply(ns, service));
            plan.step("wait for the rollout of " + ns + "/" + name + " (rollout status)", () -> cluster.awaitRollout(ns, name));
        }
        plan.step("record the rolling deployment", () -> {
            facts.put(ctx.deploymentId(), DeploymentFacts.TARGET, TargetKind.KUBERNETES.name());
            facts.put(ctx.deploymentId(), DeploymentFacts.STRATEGY, Strategy.ROLLING.name());
        });
        return plan.reply(() -> RolledOut.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step())
                .setVersion(command.getVersion()).setComponents(names).build());
    }

    @Override
    public Plan undoRollout(CommandContext ctx, UndoRollout command) {
        String ns = namespaces.of(ctx);
        Plan plan = new Plan();
        List<String> names = new ArrayList<>(command.getComponents());
        for (String name : names) {
            Optional<String> previous = facts.get(ctx.deploymentId(), PREVIOUS_TEMPLATE + name);
            if (previous.isEmpty()) {
                throw new StepFailure("NOT_ROLLED_OUT", "this deployment did not roll out " + name, false);
            }
            if (previous.get().isEmpty()) {
                plan.step("delete apps/v1 Deployment " + ns + "/" + name + " (it did not exist before this rollout)",
                        () -> cluster.deleteDeployment(ns, name));
            } else {
                PodTemplateSpec template = Serialization.unmarshal(previous.get(), PodTemplateSpec.class);
                String image = template.getSpec().getContainers().get(0).getImage();
                plan.step("restore the previous pod template of " + ns + "/" + name + " (image " + image + "): rollout undo",
                        () -> cluster.restoreTemplate(ns, name, template));
                plan.step("wait for the rollout of " + ns + "/" + name, () -> cluster.awaitRollout(ns, name));
            }
        }
        return plan.reply(() -> RolloutUndone.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step()).setComponents(names).build());
    }

    // ------------------------------------------------------------------ what earlier commands decided

    private Optional<String> gateway(CommandContext ctx) {
        return Environments.settings(config, ctx.environment()).gateway();
    }

    private String newColour(CommandContext ctx) {
        return facts.get(ctx.deploymentId(), DeploymentFacts.NEW_SLOT)
                .orElseThrow(() -> new StepFailure("NOT_DEPLOYED", "deployment " + ctx.deploymentId() + " deployed no new colour", false));
    }

    private Optional<String> previousColour(CommandContext ctx) {
        return facts.get(ctx.deploymentId(), DeploymentFacts.PREVIOUS_SLOT);
    }

    private Deployment requireDeployment(String ns, String name) {
        return cluster.deployment(ns, name)
                .orElseThrow(() -> new StepFailure("NOT_DEPLOYED", "Deployment " + ns + "/" + name + " does not exist", false));
    }

    private static List<String> components(CommandContext ctx, List<String> named) {
        if (!named.isEmpty()) {
            return named;
        }
        throw new StepFailure("NO_COMPONENTS", ctx.type() + " names no components", false);
    }

    private static void requireImage(ComponentSpec spec) {
        if (spec.getImage() == null || spec.getImage().isBlank()) {
            throw new StepFailure("NO_IMAGE", spec.getName() + " has no image (deploy.image) for the Kubernetes target", false);
        }
    }
}

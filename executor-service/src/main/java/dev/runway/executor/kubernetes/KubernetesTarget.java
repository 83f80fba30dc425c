package dev.runway.executor.kubernetes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.runway.events.*;
import dev.runway.executor.commands.CommandContext;
import dev.runway.executor.store.DeploymentFacts;
import dev.runway.executor.commands.DeploymentTarget;
import dev.runway.executor.commands.Plan;
import dev.runway.executor.config.ExecutorConfig;
import dev.runway.executor.config.EnvironmentSettings;
import dev.runway.executor.commands.StepFailure;
import io.fabric8.kubernetes.api.model.*;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * Kubernetes through the fabric8 client. Blue-green: Deployments {@code <c>-blue}/{@code <c>-green},
 * the Service {@code <c>} selects the live colour (seed 003 step 5), the old colour keeps running
 * until Decommission scales it to 0. Canary: HTTPRoute {@code <c>} backend weights over the colour
 * Services {@code <c>-blue}/{@code <c>-green} when the environment names a gateway, else a replica
 * ratio under a Service selecting both colours. Rolling: Deployment {@code <c>} with
 * maxSurge/maxUnavailable; its undo restores the previous pod template. Each project environment
 * has its own namespace ({@code <project>-<environment>} by default), labelled as Runway's; objects
 * keep their component names inside it.
 */
@ApplicationScoped
public class KubernetesTarget implements DeploymentTarget {

    static final String APP = "app";
    static final String COLOR = "color";
    static final String VERSION = "app.kubernetes.io/version";
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String REPLICAS = "runway.dev/replicas";
    static final String DECOMMISSIONED_AT = "runway.dev/decommissioned-at";
    /** Annotation on a namespace Runway created for one project environment: the project's name. */
    static final String PROJECT = "runway.dev/project";
    private static final String PREVIOUS_TEMPLATE = "rollout.previous.";

    private final KubernetesClient client;
    private final ExecutorConfig config;
    private final DeploymentFacts facts;

    public KubernetesTarget(KubernetesClient client, ExecutorConfig config, DeploymentFacts facts) {
        this.client = client;
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
        String ns = namespace(ctx);
        Plan plan = new Plan();
        List<String> names = new ArrayList<>();
        List<ReleaseEndpoint> endpoints = new ArrayList<>();
        String slot = "blue";
        for (ComponentSpec spec : command.getComponents()) {
            requireImage(spec);
            String live = liveColour(ns, spec.getName()).orElse(null);
            String colour = "blue".equals(live) ? "green" : "blue";
            slot = colour;
            names.add(spec.getName());
            // Each colour has its own Service, so the health-watcher (in the cluster) reaches one release only.
            endpoints.add(ReleaseEndpoint.newBuilder().setComponent(spec.getName())
                    .setUrl(serviceUrl(ns, spec.getName() + "-" + colour, spec))
                    .setBaselineUrl(live == null ? null : serviceUrl(ns, spec.getName() + "-" + live, spec))
                    // The project environment's own entry: Service <component> in its namespace.
                    .setFront(serviceUrl(ns, spec.getName(), spec)).build());
            Deployment deployment = deployment(spec, spec.getName() + "-" + colour, command.getVersion(), colour, null, null);
            Service colourService = service(spec.getName() + "-" + colour, spec, Map.of(APP, spec.getName(), COLOR, colour));
            plan.step("record " + spec.getName() + " " + colour + " as this deployment's new colour" + (live == null ? "" : " (live: " + live + ")")
                    + creatingNamespace(ns), () -> {
                ensureNamespace(ns, ctx);
                facts.put(ctx.deploymentId(), DeploymentFacts.TARGET, TargetKind.KUBERNETES.name());
                facts.put(ctx.deploymentId(), DeploymentFacts.STRATEGY, command.getStrategy().name());
                facts.put(ctx.deploymentId(), DeploymentFacts.NEW_SLOT, colour);
                if (live != null) {
                    facts.put(ctx.deploymentId(), DeploymentFacts.PREVIOUS_SLOT, live);
                }
            });
            plan.step("apply apps/v1 Deployment " + ns + "/" + deployment.getMetadata().getName() + " (image " + spec.getImage()
                    + ", " + spec.getReplicas() + " replica(s), cpu " + spec.getCpu() + ", memory " + spec.getMemory()
                    + ", probes " + health(spec) + " on " + port(spec) + ")",
                    () -> client.apps().deployments().inNamespace(ns).resource(deployment).createOr(NonDeletingOperation::update));
            plan.step("apply v1 Service " + ns + "/" + colourService.getMetadata().getName() + " selecting color=" + colour,
                    () -> client.services().inNamespace(ns).resource(colourService).createOr(NonDeletingOperation::update));
            plan.step("wait for the rollout of " + ns + "/" + deployment.getMetadata().getName() + " (" + spec.getReplicas()
                    + " ready, progress deadline " + config.kubernetes().progressDeadlineSeconds() + " s)",
                    () -> Rollouts.await(client, ns, deployment.getMetadata().getName(), config.kubernetes()));
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
        String ns = namespace(ctx);
        Optional<String> gateway = dev.runway.executor.config.Environments.settings(config, ctx.environment()).gateway();
        String colour = newColour(ctx);
        String previous = previousColour(ctx).orElse(null);
        Plan plan = new Plan();
        for (String component : components(ctx, ns, command.getComponents())) {
            requireDeployment(ns, component + "-" + colour);
            if (percent == 100 || previous == null) {
                plan.step("patch v1 Service " + ns + "/" + component + " selector to app=" + component + ",color=" + colour
                        + " (all traffic to " + colour + ")", () -> select(ns, component, colour));
                if (gateway.isPresent()) {
                    addRouteStep(plan, ns, gateway.get(), component, previous, colour, 100);
                }
                if (previous != null && gateway.isEmpty()) {
                    addRestoreReplicas(plan, ns, component + "-" + previous);
                }
            } else if (gateway.isPresent()) {
                addRouteStep(plan, ns, gateway.get(), component, previous, colour, percent);
            } else {
                addReplicaRatio(plan, ns, component, previous, colour, percent);
            }
        }
        return plan.reply(() -> TrafficShifted.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step())
                .setPercent(percent).setSlot(colour).build());
    }

    @Override
    public Plan promoteGreen(CommandContext ctx, PromoteGreen command) {
        String ns = namespace(ctx);
        String colour = newColour(ctx);
        String previous = previousColour(ctx).orElse(null);
        Optional<String> gateway = dev.runway.executor.config.Environments.settings(config, ctx.environment()).gateway();
        Plan plan = new Plan();
        for (String component : components(ctx, ns, command.getComponents())) {
            requireDeployment(ns, component + "-" + colour);
            plan.step("patch v1 Service " + ns + "/" + component + " selector to color=" + colour + " (live colour)", () -> select(ns, component, colour));
            if (gateway.isPresent()) {
                addRouteStep(plan, ns, gateway.get(), component, previous, colour, 100);
            }
            plan.step("label apps/v1 Deployment " + ns + "/" + component + "-" + colour + " runway.dev/live=true", () -> client.apps()
                    .deployments().inNamespace(ns).withName(component + "-" + colour)
                    .edit(d -> new DeploymentBuilder(d).editMetadata().addToLabels("runway.dev/live", "true").endMetadata().build()));
            if (previous != null) {
                plan.step("label apps/v1 Deployment " + ns + "/" + component + "-" + previous + " runway.dev/live=false (kept running for instant rollback)",
                        () -> client.apps().deployments().inNamespace(ns).withName(component + "-" + previous)
                                .edit(d -> new DeploymentBuilder(d).editMetadata().addToLabels("runway.dev/live", "false").endMetadata().build()));
            }
        }
        return plan.reply(() -> GreenPromoted.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step()).setSlot(colour).build());
    }

    @Override
    public Plan decommission(CommandContext ctx, Decommission command) {
        String ns = namespace(ctx);
        String slot = command.getSlot();
        Plan plan = new Plan();
        for (String component : components(ctx, ns, command.getComponents())) {
            if (slot.equals(liveColour(ns, component).orElse(null))) {
                throw new StepFailure("SLOT_IN_USE", component + "-" + slot + " is selected by Service " + component, false);
            }
            String name = component + "-" + slot;
            plan.step("scale apps/v1 Deployment " + ns + "/" + name + " to 0 and annotate " + DECOMMISSIONED_AT
                    + " (object kept: its image stays available for a late rollback)", () -> client.apps().deployments().inNamespace(ns)
                            .withName(name).edit(d -> new DeploymentBuilder(d).editMetadata()
                                    .addToAnnotations(DECOMMISSIONED_AT, Instant.now().toString()).endMetadata()
                                    .editSpec().withReplicas(0).endSpec().build()));
        }
        return plan.reply(() -> Decommissioned.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step()).setSlot(slot).build());
    }

    @Override
    public Plan rollbackTraffic(CommandContext ctx, RollbackTraffic command) {
        String ns = namespace(ctx);
        String colour = newColour(ctx);
        String previous = previousColour(ctx).orElseThrow(() -> new StepFailure("NO_PREVIOUS_SLOT",
                "this deployment replaced nothing: there is no previous colour to send traffic back to", false));
        Optional<String> gateway = dev.runway.executor.config.Environments.settings(config, ctx.environment()).gateway();
        Plan plan = new Plan();
        for (String component : components(ctx, ns, command.getComponents())) {
            requireDeployment(ns, component + "-" + previous);
            if (gateway.isEmpty()) {
                addRestoreReplicas(plan, ns, component + "-" + previous);
            }
            plan.step("patch v1 Service " + ns + "/" + component + " selector to color=" + previous + " (all traffic back)",
                    () -> select(ns, component, previous));
            if (gateway.isPresent()) {
                addRouteStep(plan, ns, gateway.get(), component, previous, colour, 0);
            }
        }
        return plan.reply(() -> TrafficRolledBack.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step()).setSlot(previous).build());
    }

    @Override
    public Plan removeGreen(CommandContext ctx, RemoveGreen command) {
        String ns = namespace(ctx);
        String colour = newColour(ctx);
        Plan plan = new Plan();
        for (String component : components(ctx, ns, command.getComponents())) {
            if (colour.equals(liveColour(ns, component).orElse(null))) {
                throw new StepFailure("SLOT_IN_USE", component + "-" + colour + " is live: roll traffic back first", false);
            }
            plan.step("delete apps/v1 Deployment " + ns + "/" + component + "-" + colour,
                    () -> client.apps().deployments().inNamespace(ns).withName(component + "-" + colour).delete());
            plan.step("delete v1 Service " + ns + "/" + component + "-" + colour,
                    () -> client.services().inNamespace(ns).withName(component + "-" + colour).delete());
        }
        return plan.reply(() -> GreenRemoved.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step()).setSlot(colour).build());
    }

    // ------------------------------------------------------------------ rolling

    @Override
    public Plan rollOut(CommandContext ctx, RollOut command) {
        String ns = namespace(ctx);
        Plan plan = new Plan();
        List<String> names = new ArrayList<>();
        for (ComponentSpec spec : command.getComponents()) {
            requireImage(spec);
            String name = spec.getName();
            names.add(name);
            Deployment current = client.apps().deployments().inNamespace(ns).withName(name).get();
            Deployment next = deployment(spec, name, command.getVersion(), null, command.getMaxSurge(), command.getMaxUnavailable());
            plan.step("remember the current pod template of " + ns + "/" + name + (current == null ? " (none: first rollout)" : "")
                    + " for `rollout undo`" + creatingNamespace(ns), () -> {
                        ensureNamespace(ns, ctx);
                        facts.put(ctx.deploymentId(), PREVIOUS_TEMPLATE + name,
                                current == null ? "" : Serialization.asJson(current.getSpec().getTemplate()));
                    });
            plan.step("apply apps/v1 Deployment " + ns + "/" + name + " (image " + spec.getImage() + ", RollingUpdate maxSurge "
                    + command.getMaxSurge() + " maxUnavailable " + command.getMaxUnavailable() + ", " + spec.getReplicas() + " replica(s))",
                    () -> client.apps().deployments().inNamespace(ns).resource(next).createOr(NonDeletingOperation::update));
            Service service = service(name, spec, Map.of(APP, name));
            plan.step("apply v1 Service " + ns + "/" + name + " selecting app=" + name,
                    () -> client.services().inNamespace(ns).resource(service).createOr(NonDeletingOperation::update));
            plan.step("wait for the rollout of " + ns + "/" + name + " (rollout status)",
                    () -> Rollouts.await(client, ns, name, config.kubernetes()));
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
        String ns = namespace(ctx);
        Plan plan = new Plan();
        List<String> names = new ArrayList<>(command.getComponents());
        for (String name : names) {
            Optional<String> previous = facts.get(ctx.deploymentId(), PREVIOUS_TEMPLATE + name);
            if (previous.isEmpty()) {
                throw new StepFailure("NOT_ROLLED_OUT", "this deployment did not roll out " + name, false);
            }
            if (previous.get().isEmpty()) {
                plan.step("delete apps/v1 Deployment " + ns + "/" + name + " (it did not exist before this rollout)",
                        () -> client.apps().deployments().inNamespace(ns).withName(name).delete());
            } else {
                PodTemplateSpec template = Serialization.unmarshal(previous.get(), PodTemplateSpec.class);
                String image = template.getSpec().getContainers().get(0).getImage();
                plan.step("restore the previous pod template of " + ns + "/" + name + " (image " + image + "): rollout undo",
                        () -> client.apps().deployments().inNamespace(ns).withName(name)
                                .edit(d -> new DeploymentBuilder(d).editSpec().withTemplate(template).endSpec().build()));
                plan.step("wait for the rollout of " + ns + "/" + name, () -> Rollouts.await(client, ns, name, config.kubernetes()));
            }
        }
        return plan.reply(() -> RolloutUndone.newBuilder().setHeader(ctx.replyHeader()).setStep(ctx.step()).setComponents(names).build());
    }

    // ------------------------------------------------------------------ objects

    Deployment deployment(ComponentSpec spec, String name, String version, String colour, String maxSurge, String maxUnavailable) {
        Map<String, String> selector = new LinkedHashMap<>();
        selector.put(APP, spec.getName());
        if (colour != null) {
            selector.put(COLOR, colour);
        }
        Map<String, String> labels = new LinkedHashMap<>(selector);
        labels.put(VERSION, version);
        labels.put(MANAGED_BY, "runway");
        Map<String, Quantity> resources = new LinkedHashMap<>();
        if (spec.getCpu() != null) {
            resources.put("cpu", new Quantity(spec.getCpu()));
        }
        if (spec.getMemory() != null) {
            resources.put("memory", new Quantity(spec.getMemory()));
        }
        Probe probe = new ProbeBuilder().withNewHttpGet().withPath(health(spec)).withPort(new IntOrString(port(spec))).endHttpGet()
                .withPeriodSeconds(5).withFailureThreshold(3).build();
        DeploymentBuilder builder = new DeploymentBuilder()
                .withNewMetadata().withName(name).withLabels(labels).addToAnnotations(REPLICAS, Integer.toString(spec.getReplicas())).endMetadata()
                .withNewSpec()
                .withReplicas(spec.getReplicas())
                .withProgressDeadlineSeconds(config.kubernetes().progressDeadlineSeconds())
                .withNewSelector().withMatchLabels(selector).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName(spec.getName()).withImage(spec.getImage())
                .addNewPort().withContainerPort(port(spec)).withName("http").endPort()
                .addNewEnv().withName("VERSION").withValue(version).endEnv()
                .withNewResources().withRequests(resources).withLimits(resources).endResources()
                .withReadinessProbe(probe).withLivenessProbe(new ProbeBuilder(probe).withInitialDelaySeconds(10).build())
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec();
        if (maxSurge != null) {
            builder.editSpec().withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                    .withMaxSurge(intOrPercent(maxSurge)).withMaxUnavailable(intOrPercent(maxUnavailable))
                    .endRollingUpdate().endStrategy().endSpec();
        }
        return builder.build();
    }

    private static Service service(String name, ComponentSpec spec, Map<String, String> selector) {
        return new ServiceBuilder().withNewMetadata().withName(name).addToLabels(APP, spec.getName()).addToLabels(MANAGED_BY, "runway").endMetadata()
                .withNewSpec().withSelector(selector)
                .addNewPort().withName("http").withPort(port(spec)).withTargetPort(new IntOrString(port(spec))).endPort()
                .endSpec().build();
    }

    private void select(String ns, String component, String colour) {
        Service existing = client.services().inNamespace(ns).withName(component).get();
        if (existing == null) {
            int port = client.apps().deployments().inNamespace(ns).withName(component + "-" + colour).get().getSpec().getTemplate()
                    .getSpec().getContainers().get(0).getPorts().get(0).getContainerPort();
            client.services().inNamespace(ns).resource(new ServiceBuilder().withNewMetadata().withName(component)
                    .addToLabels(APP, component).addToLabels(MANAGED_BY, "runway").endMetadata()
                    .withNewSpec().withSelector(Map.of(APP, component, COLOR, colour))
                    .addNewPort().withName("http").withPort(port).withTargetPort(new IntOrString(port)).endPort().endSpec().build()).create();
        } else {
            client.services().inNamespace(ns).withName(component).edit(s -> new ServiceBuilder(s).editSpec()
                    .withSelector(colour == null ? Map.of(APP, component) : Map.of(APP, component, COLOR, colour)).endSpec().build());
        }
    }

    private void addRouteStep(Plan plan, String ns, String gateway, String component, String previous, String colour, int percent) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        if (previous != null) {
            weights.put(previous, 100 - percent);
        }
        weights.put(colour, previous == null ? 100 : percent);
        plan.step("apply gateway.networking.k8s.io/v1 HTTPRoute " + ns + "/" + component + " on Gateway " + gateway + " with backend weights "
                + weights, () -> {
                    Service live = client.services().inNamespace(ns).withName(component + "-" + colour).get();
                    int port = live.getSpec().getPorts().get(0).getPort();
                    HTTPRouteBuilder route = new HTTPRouteBuilder().withNewMetadata().withName(component).addToLabels(APP, component)
                            .addToLabels(MANAGED_BY, "runway").endMetadata()
                            .withNewSpec().addNewParentRef().withName(gateway).endParentRef().endSpec();
                    var rule = new io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRuleBuilder();
                    weights.forEach((c, w) -> rule.addNewBackendRef().withName(component + "-" + c).withPort(port).withWeight(w).endBackendRef());
                    HTTPRoute built = route.editSpec().addToRules(rule.build()).endSpec().build();
                    client.resources(HTTPRoute.class).inNamespace(ns).resource(built).createOr(NonDeletingOperation::update);
                });
    }

    /** No gateway: both colours behind one Service, the share set by replica counts (granularity 1/replicas). */
    private void addReplicaRatio(Plan plan, String ns, String component, String previous, String colour, int percent) {
        Deployment old = requireDeployment(ns, component + "-" + previous);
        int total = Integer.parseInt(Optional.ofNullable(old.getMetadata().getAnnotations()).map(a -> a.get(REPLICAS))
                .orElse(String.valueOf(old.getSpec().getReplicas())));
        int fresh = Math.max(1, (int) Math.round(total * percent / 100.0));
        int stay = Math.max(1, total - fresh);
        plan.step("scale apps/v1 Deployment " + ns + "/" + component + "-" + colour + " to " + fresh + " and " + component + "-" + previous
                + " to " + stay + " (replica ratio ~" + percent + "%: no gateway configured)", () -> {
                    scale(ns, component + "-" + colour, fresh);
                    scale(ns, component + "-" + previous, stay);
                });
        plan.step("patch v1 Service " + ns + "/" + component + " selector to app=" + component + " (both colours)", () -> select(ns, component, null));
        plan.step("wait for the rollout of " + ns + "/" + component + "-" + colour, () -> Rollouts.await(client, ns, component + "-" + colour, config.kubernetes()));
    }

    private void addRestoreReplicas(Plan plan, String ns, String name) {
        Deployment d = client.apps().deployments().inNamespace(ns).withName(name).get();
        if (d == null || d.getMetadata().getAnnotations() == null || d.getMetadata().getAnnotations().get(REPLICAS) == null) {
            return;
        }
        int replicas = Integer.parseInt(d.getMetadata().getAnnotations().get(REPLICAS));
        if (d.getSpec().getReplicas() != null && d.getSpec().getReplicas() == replicas) {
            return;
        }
        plan.step("scale apps/v1 Deployment " + ns + "/" + name + " back to " + replicas + " (kept running at full size for instant rollback)",
                () -> scale(ns, name, replicas));
    }

    private void scale(String ns, String name, int replicas) {
        client.apps().deployments().inNamespace(ns).withName(name)
                .edit(d -> new DeploymentBuilder(d).editSpec().withReplicas(replicas).endSpec().build());
    }

    // ------------------------------------------------------------------ helpers

    private Optional<String> liveColour(String ns, String component) {
        Service service = client.services().inNamespace(ns).withName(component).get();
        return Optional.ofNullable(service).map(s -> s.getSpec().getSelector()).map(s -> s.get(COLOR));
    }

    private String newColour(CommandContext ctx) {
        return facts.get(ctx.deploymentId(), DeploymentFacts.NEW_SLOT)
                .orElseThrow(() -> new StepFailure("NOT_DEPLOYED", "deployment " + ctx.deploymentId() + " deployed no new colour", false));
    }

    private Optional<String> previousColour(CommandContext ctx) {
        return facts.get(ctx.deploymentId(), DeploymentFacts.PREVIOUS_SLOT);
    }

    private Deployment requireDeployment(String ns, String name) {
        Deployment d = client.apps().deployments().inNamespace(ns).withName(name).get();
        if (d == null) {
            throw new StepFailure("NOT_DEPLOYED", "Deployment " + ns + "/" + name + " does not exist", false);
        }
        return d;
    }

    private List<String> components(CommandContext ctx, String ns, List<String> named) {
        if (!named.isEmpty()) {
            return named;
        }
        throw new StepFailure("NO_COMPONENTS", ctx.type() + " names no components", false);
    }

    /**
     * The project environment's namespace (template, or the environment's override), checked to be
     * one Runway may act in: absent (made by {@link #ensureNamespace}) or labelled as managed.
     */
    private String namespace(CommandContext ctx) {
        EnvironmentSettings settings = dev.runway.executor.config.Environments.settings(config, ctx.environment());
        var key = ctx.projectEnv();
        String ns = settings.namespace().orElseGet(() -> config.kubernetes().namespaceTemplate()
                .replace("{project}", key.safe()).replace("{environment}", key.env()));
        if (ns.length() > 63 || !ns.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
            throw new StepFailure("BAD_NAMESPACE", "namespace '" + ns + "' of " + key + " is not a DNS-1123 label"
                    + " (runway.executor.kubernetes.namespace-template)", false);
        }
        Namespace existing = client.namespaces().withName(ns).get();
        if (existing != null && !"true".equals(Optional.ofNullable(existing.getMetadata().getLabels()).map(l -> l.get(config.kubernetes().managedLabel()))
                .orElse(null))) {
            throw new StepFailure("NAMESPACE_NOT_MANAGED", "namespace " + ns + " exists but is not labelled " + config.kubernetes().managedLabel()
                    + "=true: Runway acts only in namespaces labelled for it (label it, or choose another namespace)", false);
        }
        String owner = existing == null || existing.getMetadata().getAnnotations() == null ? null
                : existing.getMetadata().getAnnotations().get(PROJECT);
        // Two project names with one safe name would share the namespace: the second is refused (not with an override, which is shared on purpose).
        if (settings.namespace().isEmpty() && owner != null && !owner.equals(key.project())) {
            throw new StepFailure("PROJECT_NAME_COLLISION", "project '" + key.project() + "' gives the same namespace " + ns
                    + " as project '" + owner + "'", false);
        }
        return ns;
    }

    /** Creates the namespace, labelled as Runway's (and annotated with its project), when it does not exist yet. */
    private void ensureNamespace(String ns, CommandContext ctx) {
        if (client.namespaces().withName(ns).get() == null) {
            var meta = new NamespaceBuilder().withNewMetadata().withName(ns)
                    .addToLabels(config.kubernetes().managedLabel(), "true").addToLabels(MANAGED_BY, "runway");
            if (dev.runway.executor.config.Environments.settings(config, ctx.environment()).namespace().isEmpty()) {
                meta.addToAnnotations(PROJECT, ctx.project());
            }
            client.namespaces().resource(meta.endMetadata().build()).createOr(NonDeletingOperation::update);
        }
    }

    /** Plan text of a step that first creates the project environment's namespace, when it is missing. */
    private String creatingNamespace(String ns) {
        return client.namespaces().withName(ns).get() == null ? " (first creates namespace " + ns + ", labelled "
                + config.kubernetes().managedLabel() + "=true)" : "";
    }

    private static void requireImage(ComponentSpec spec) {
        if (spec.getImage() == null || spec.getImage().isBlank()) {
            throw new StepFailure("NO_IMAGE", spec.getName() + " has no image (deploy.image) for the Kubernetes target", false);
        }
    }

    private static String serviceUrl(String ns, String service, ComponentSpec spec) {
        return "http://" + service + "." + ns + ".svc:" + port(spec);
    }

    private static int port(ComponentSpec spec) {
        return spec.getPort() == null ? 8080 : spec.getPort();
    }

    private static String health(ComponentSpec spec) {
        return spec.getHealthcheck() == null ? "/health" : spec.getHealthcheck();
    }

    private static IntOrString intOrPercent(String value) {
        return value.endsWith("%") ? new IntOrString(value) : new IntOrString(Integer.parseInt(value.trim()));
    }
}

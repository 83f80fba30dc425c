package dev.runway.executor.kubernetes;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.runway.events.ComponentSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRuleBuilder;

/**
 * The Kubernetes objects Runway writes, rendered from a command's ComponentSpec (no API calls):
 * Deployments with probes, resources and labels, the Services that select colours, HTTPRoutes with
 * backend weights, and the namespaces of project environments.
 */
final class Manifests {

    static final String APP = "app";
    static final String COLOR = "color";
    static final String VERSION = "app.kubernetes.io/version";
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String REPLICAS = "runway.dev/replicas";
    static final String LIVE = "runway.dev/live";
    static final String DECOMMISSIONED_AT = "runway.dev/decommissioned-at";
    /** Annotation on a namespace Runway created for one project environment: the project's name. */
    static final String PROJECT = "runway.dev/project";

    private Manifests() {
    }

    /**
     * A Deployment of the component, {@code colour}'s (blue-green, canary) or the only one (rolling,
     * {@code colour} null, with {@code maxSurge}/{@code maxUnavailable}).
     */
    static Deployment deployment(ComponentSpec spec, String name, String version, String colour, String maxSurge, String maxUnavailable,
            int progressDeadlineSeconds) {
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
                .withProgressDeadlineSeconds(progressDeadlineSeconds)
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

    /** A Service named {@code name} in front of the pods {@code selector} picks, on the component's port. */
    static Service service(String name, ComponentSpec spec, Map<String, String> selector) {
        return service(name, spec.getName(), selector, port(spec));
    }

    /** The component's own Service, selecting {@code colour} (or both colours when null). */
    static Service componentService(String component, String colour, int port) {
        return service(component, component, selector(component, colour), port);
    }

    static Map<String, String> selector(String component, String colour) {
        return colour == null ? Map.of(APP, component) : Map.of(APP, component, COLOR, colour);
    }

    private static Service service(String name, String component, Map<String, String> selector, int port) {
        return new ServiceBuilder().withNewMetadata().withName(name).addToLabels(APP, component).addToLabels(MANAGED_BY, "runway").endMetadata()
                .withNewSpec().withSelector(selector)
                .addNewPort().withName("http").withPort(port).withTargetPort(new IntOrString(port)).endPort()
                .endSpec().build();
    }

    /** HTTPRoute {@code component} on {@code gateway}: one backendRef per colour Service, with its weight. */
    static HTTPRoute route(String component, String gateway, Map<String, Integer> weights, int port) {
        HTTPRouteRuleBuilder rule = new HTTPRouteRuleBuilder();
        weights.forEach((colour, weight) -> rule.addNewBackendRef().withName(component + "-" + colour).withPort(port).withWeight(weight).endBackendRef());
        return new HTTPRouteBuilder().withNewMetadata().withName(component).addToLabels(APP, component)
                .addToLabels(MANAGED_BY, "runway").endMetadata()
                .withNewSpec().addNewParentRef().withName(gateway).endParentRef().addToRules(rule.build()).endSpec().build();
    }

    /** A project environment's namespace, labelled as Runway's; annotated with its project unless shared by an override. */
    static Namespace namespace(String name, String managedLabel, String project) {
        ObjectMeta meta = new ObjectMetaBuilder().withName(name).addToLabels(managedLabel, "true").addToLabels(MANAGED_BY, "runway").build();
        if (project != null) {
            meta.setAnnotations(new LinkedHashMap<>(Map.of(PROJECT, project)));
        }
        return new NamespaceBuilder().withMetadata(meta).build();
    }

    /** {@code http://<service>.<namespace>.svc:<port>}, as the health-watcher in the cluster reaches it. */
    static String serviceUrl(String ns, String service, ComponentSpec spec) {
        return "http://" + service + "." + ns + ".svc:" + port(spec);
    }

    static int port(ComponentSpec spec) {
        return spec.getPort() == null ? 8080 : spec.getPort();
    }

    static String health(ComponentSpec spec) {
        return spec.getHealthcheck() == null ? "/health" : spec.getHealthcheck();
    }

    private static IntOrString intOrPercent(String value) {
        return value.endsWith("%") ? new IntOrString(value) : new IntOrString(Integer.parseInt(value.trim()));
    }
}

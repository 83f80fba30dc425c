package dev.runway.executor.kubernetes;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.runway.executor.config.ExecutorConfig;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;

/**
 * The Kubernetes target's API calls (fabric8): reads of what is there, server-side applies of what
 * {@link Manifests} renders, and the edits a traffic change makes (selector, replicas, labels,
 * annotations, pod template), each in one namespace.
 */
@ApplicationScoped
public class Cluster {

    private final KubernetesClient client;
    private final ExecutorConfig.Kubernetes settings;

    public Cluster(KubernetesClient client, ExecutorConfig config) {
        this.client = client;
        this.settings = config.kubernetes();
    }

    Optional<Namespace> namespace(String name) {
        return Optional.ofNullable(client.namespaces().withName(name).get());
    }

    Optional<Deployment> deployment(String ns, String name) {
        return Optional.ofNullable(client.apps().deployments().inNamespace(ns).withName(name).get());
    }

    Optional<Service> service(String ns, String name) {
        return Optional.ofNullable(client.services().inNamespace(ns).withName(name).get());
    }

    /** The colour the component's own Service selects: what serves. */
    Optional<String> liveColour(String ns, String component) {
        return service(ns, component).map(s -> s.getSpec().getSelector()).map(s -> s.get(Manifests.COLOR));
    }

    void create(Namespace namespace) {
        client.namespaces().resource(namespace).createOr(NonDeletingOperation::update);
    }

    void apply(String ns, Deployment deployment) {
        client.apps().deployments().inNamespace(ns).resource(deployment).createOr(NonDeletingOperation::update);
    }

    void apply(String ns, Service service) {
        client.services().inNamespace(ns).resource(service).createOr(NonDeletingOperation::update);
    }

    void apply(String ns, HTTPRoute route) {
        client.resources(HTTPRoute.class).inNamespace(ns).resource(route).createOr(NonDeletingOperation::update);
    }

    /** Points the component's Service at {@code colour} (both colours when null), creating it on the first switch. */
    void select(String ns, String component, String colour) {
        if (service(ns, component).isEmpty()) {
            int port = client.apps().deployments().inNamespace(ns).withName(component + "-" + colour).get().getSpec().getTemplate()
                    .getSpec().getContainers().get(0).getPorts().get(0).getContainerPort();
            client.services().inNamespace(ns).resource(Manifests.componentService(component, colour, port)).create();
        } else {
            client.services().inNamespace(ns).withName(component).edit(s -> new ServiceBuilder(s).editSpec()
                    .withSelector(Manifests.selector(component, colour)).endSpec().build());
        }
    }

    /** The port of a Service (a colour's, for the HTTPRoute's backendRefs). */
    int servicePort(String ns, String service) {
        return client.services().inNamespace(ns).withName(service).get().getSpec().getPorts().get(0).getPort();
    }

    void scale(String ns, String name, int replicas) {
        client.apps().deployments().inNamespace(ns).withName(name)
                .edit(d -> new DeploymentBuilder(d).editSpec().withReplicas(replicas).endSpec().build());
    }

    void label(String ns, String name, String label, String value) {
        client.apps().deployments().inNamespace(ns).withName(name)
                .edit(d -> new DeploymentBuilder(d).editMetadata().addToLabels(label, value).endMetadata().build());
    }

    /** Scales to 0 and annotates, keeping the object (and so its image) for a late rollback. */
    void scaleToZero(String ns, String name, String annotation, String value) {
        client.apps().deployments().inNamespace(ns).withName(name).edit(d -> new DeploymentBuilder(d).editMetadata()
                .addToAnnotations(annotation, value).endMetadata()
                .editSpec().withReplicas(0).endSpec().build());
    }

    void restoreTemplate(String ns, String name, PodTemplateSpec template) {
        client.apps().deployments().inNamespace(ns).withName(name)
                .edit(d -> new DeploymentBuilder(d).editSpec().withTemplate(template).endSpec().build());
    }

    void deleteDeployment(String ns, String name) {
        client.apps().deployments().inNamespace(ns).withName(name).delete();
    }

    void deleteService(String ns, String name) {
        client.services().inNamespace(ns).withName(name).delete();
    }

    /** Until the rollout of the Deployment is complete ({@link Rollouts}). */
    void awaitRollout(String ns, String name) throws InterruptedException {
        Rollouts.await(client, ns, name, settings);
    }
}

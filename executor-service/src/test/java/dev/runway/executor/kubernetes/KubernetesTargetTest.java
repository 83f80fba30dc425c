package dev.runway.executor.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.runway.events.ComponentSpec;
import dev.runway.events.Decommission;
import dev.runway.events.Decommissioned;
import dev.runway.events.DeployGreen;
import dev.runway.events.Environment;
import dev.runway.events.EventHeader;
import dev.runway.events.GreenDeployed;
import dev.runway.events.GreenPromoted;
import dev.runway.events.GreenRemoved;
import dev.runway.events.PromoteGreen;
import dev.runway.events.RemoveGreen;
import dev.runway.events.RollOut;
import dev.runway.events.RollbackTraffic;
import dev.runway.events.RolledOut;
import dev.runway.events.RolloutUndone;
import dev.runway.events.ShiftTraffic;
import dev.runway.events.StepFailed;
import dev.runway.events.StepProgress;
import dev.runway.events.Strategy;
import dev.runway.events.TargetKind;
import dev.runway.events.TrafficRolledBack;
import dev.runway.events.TrafficShifted;
import dev.runway.events.UndoRollout;
import dev.runway.executor.support.ClientDatabases;
import dev.runway.executor.support.CommandBus;
import dev.runway.executor.support.ExecutorTestResource;
import dev.runway.executor.support.FencingTokens;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * The three strategies against the fabric8 mock API server in CRUD mode, commands sent over the
 * real Kafka. A small "controller" thread plays the kubelet: it marks every Deployment's replicas
 * updated and ready, so rollout waits end as they would on a cluster.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(ExecutorTestResource.class)
class KubernetesTargetTest {

    static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    KubernetesClient client;

    CommandBus bus;
    ScheduledExecutorService kubelet;
    String project;
    String component;

    @BeforeEach
    void setUp() {
        bus = new CommandBus();
        project = ClientDatabases.newProject();
        component = "web-" + UUID.randomUUID().toString().substring(0, 6);
        kubelet = Executors.newSingleThreadScheduledExecutor();
        kubelet.scheduleWithFixedDelay(this::markReady, 0, 50, TimeUnit.MILLISECONDS);
    }

    @AfterEach
    void tearDown() {
        kubelet.shutdownNow();
        bus.close();
    }

    /** What the Deployment controller and kubelets would report once pods run. */
    void markReady() {
        try {
            for (Deployment d : client.apps().deployments().inAnyNamespace().list().getItems()) {
                String ns = d.getMetadata().getNamespace();
                {
                    int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
                    long generation = d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
                    if (d.getStatus() != null && d.getStatus().getReadyReplicas() != null && d.getStatus().getReadyReplicas() == want
                            && d.getStatus().getObservedGeneration() != null && d.getStatus().getObservedGeneration() >= generation
                            && want == d.getStatus().getUpdatedReplicas()) {
                        continue;
                    }
                    d.setStatus(new DeploymentStatusBuilder().withReplicas(want).withReadyReplicas(want).withUpdatedReplicas(want)
                            .withAvailableReplicas(want).withObservedGeneration(generation).build());
                    client.apps().deployments().inNamespace(ns).resource(d).updateStatus();
                }
            }
        } catch (RuntimeException e) {
            // an object changed under us: the next round sees the new version
        }
    }

    /** One namespace per project environment: <project>-<environment>. */
    String uat() {
        return project + "-uat";
    }

    String production() {
        return project + "-production";
    }

    EventHeader header(String deploymentId, Environment env) {
        return CommandBus.header(deploymentId, env, project);
    }

    ComponentSpec spec(String version, int replicas) {
        return ComponentSpec.newBuilder().setName(component).setImage("registry.example.com/acme/web:" + version).setPort(3000)
                .setHealthcheck("/api/health").setReplicas(replicas).setCpu("500m").setMemory("512Mi").build();
    }

    SpecificRecord deploy(String id, Environment env, String version, int replicas, Strategy strategy) {
        return bus.call(DeployGreen.newBuilder().setHeader(header(id, env)).setStep("deploy-green").setFencingToken(FencingTokens.next())
                .setVersion(version).setTarget(TargetKind.KUBERNETES).setStrategy(strategy).setComponents(List.of(spec(version, replicas))).build(), WAIT);
    }

    SpecificRecord shift(String id, Environment env, int percent) {
        return bus.call(ShiftTraffic.newBuilder().setHeader(header(id, env)).setStep("shift-traffic-" + percent).setFencingToken(FencingTokens.next())
                .setVersion("-").setPercent(percent).setComponents(List.of(component)).build(), WAIT);
    }

    SpecificRecord promote(String id, Environment env) {
        return bus.call(PromoteGreen.newBuilder().setHeader(header(id, env)).setStep("promote-green").setFencingToken(FencingTokens.next())
                .setVersion("-").setComponents(List.of(component)).build(), WAIT);
    }

    SpecificRecord rollback(String id, Environment env) {
        return bus.call(RollbackTraffic.newBuilder().setHeader(header(id, env)).setStep("rollback-traffic").setFencingToken(FencingTokens.next())
                .setComponents(List.of(component)).build(), WAIT);
    }

    Deployment deployment(String ns, String name) {
        return client.apps().deployments().inNamespace(ns).withName(name).get();
    }

    Map<String, String> selector(String ns) {
        Service s = client.services().inNamespace(ns).withName(component).get();
        return s == null ? null : s.getSpec().getSelector();
    }

    /** A first release, all traffic on it, promoted. */
    void baseline(Environment env, int replicas, Strategy strategy) {
        String first = UUID.randomUUID().toString();
        assertEquals("blue", assertInstanceOf(GreenDeployed.class, deploy(first, env, "1.0.0", replicas, strategy)).getSlot());
        assertInstanceOf(TrafficShifted.class, shift(first, env, 100));
        assertInstanceOf(GreenPromoted.class, promote(first, env));
    }

    @Test
    void shouldRunBlueGreenWithServiceSwitchKeepBlueAndCompensate() {
        baseline(Environment.UAT, 2, Strategy.BLUE_GREEN);
        assertEquals(Map.of("app", component, "color", "blue"), selector(uat()));

        String second = UUID.randomUUID().toString();
        GreenDeployed deployed = assertInstanceOf(GreenDeployed.class, deploy(second, Environment.UAT, "2.0.0", 2, Strategy.BLUE_GREEN));
        assertEquals("green", deployed.getSlot());
        assertEquals("http://" + component + "-green." + uat() + ".svc:3000", deployed.getEndpoints().get(0).getUrl());
        assertEquals("http://" + component + "-blue." + uat() + ".svc:3000", deployed.getEndpoints().get(0).getBaselineUrl());
        Deployment green = deployment(uat(), component + "-green");
        Container c = green.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("registry.example.com/acme/web:2.0.0", c.getImage());
        assertEquals(2, green.getSpec().getReplicas());
        assertEquals("500m", c.getResources().getRequests().get("cpu").toString());
        assertEquals("512Mi", c.getResources().getLimits().get("memory").toString());
        assertEquals("/api/health", c.getReadinessProbe().getHttpGet().getPath());
        assertEquals(3000, c.getLivenessProbe().getHttpGet().getPort().getIntVal());
        assertEquals(Map.of("app", component, "color", "green"), green.getSpec().getSelector().getMatchLabels());
        assertEquals("blue", selector(uat()).get("color"), "deploying green does not move traffic");

        assertEquals("green", assertInstanceOf(TrafficShifted.class, shift(second, Environment.UAT, 100)).getSlot());
        assertEquals("green", selector(uat()).get("color"), "sop.md 003 step 5: the Service selects green");
        assertEquals(2, deployment(uat(), component + "-blue").getSpec().getReplicas(), "blue stays up for instant rollback");

        assertEquals("blue", assertInstanceOf(TrafficRolledBack.class, rollback(second, Environment.UAT)).getSlot());
        assertEquals("blue", selector(uat()).get("color"));
        assertInstanceOf(GreenRemoved.class, bus.call(RemoveGreen.newBuilder().setHeader(header(second, Environment.UAT)).setStep("remove-green")
                .setFencingToken(FencingTokens.next()).setComponents(List.of(component)).build(), WAIT));
        assertNull(deployment(uat(), component + "-green"));
        assertNull(client.services().inNamespace(uat()).withName(component + "-green").get());
        assertNotNull(deployment(uat(), component + "-blue"));

        String third = UUID.randomUUID().toString();
        deploy(third, Environment.UAT, "3.0.0", 2, Strategy.BLUE_GREEN);
        shift(third, Environment.UAT, 100);
        promote(third, Environment.UAT);
        assertEquals("true", deployment(uat(), component + "-green").getMetadata().getLabels().get("runway.dev/live"));
        Decommissioned gone = assertInstanceOf(Decommissioned.class, bus.call(Decommission.newBuilder().setHeader(header(third, Environment.UAT))
                .setStep("decommission-blue").setFencingToken(FencingTokens.next()).setSlot("blue").setComponents(List.of(component)).build(), WAIT));
        assertEquals("blue", gone.getSlot());
        Deployment blue = deployment(uat(), component + "-blue");
        assertEquals(0, blue.getSpec().getReplicas(), "sop.md 003 step 7: blue scaled to 0, object kept");
        assertNotNull(blue.getMetadata().getAnnotations().get(Manifests.DECOMMISSIONED_AT));
    }

    @Test
    void shouldShiftCanaryWeightsOnTheHttpRouteWhereAGatewayIsConfigured() {
        baseline(Environment.PRODUCTION, 3, Strategy.CANARY);
        String second = UUID.randomUUID().toString();
        deploy(second, Environment.PRODUCTION, "2.0.0", 3, Strategy.CANARY);

        for (int percent : new int[] { 10, 25, 50 }) {
            assertEquals(percent, assertInstanceOf(TrafficShifted.class, shift(second, Environment.PRODUCTION, percent)).getPercent());
            assertEquals(Map.of(component + "-blue", 100 - percent, component + "-green", percent), weights());
            assertEquals("blue", selector(production()).get("color"));
        }
        HTTPRoute route = client.resources(HTTPRoute.class).inNamespace(production()).withName(component).get();
        assertEquals("runway-gateway", route.getSpec().getParentRefs().get(0).getName());
        assertEquals(3000, route.getSpec().getRules().get(0).getBackendRefs().get(0).getPort());

        shift(second, Environment.PRODUCTION, 100);
        assertEquals(Map.of(component + "-blue", 0, component + "-green", 100), weights());
        assertEquals("green", selector(production()).get("color"));

        rollback(second, Environment.PRODUCTION);
        assertEquals(Map.of(component + "-blue", 100, component + "-green", 0), weights());
        assertEquals("blue", selector(production()).get("color"));
    }

    Map<String, Integer> weights() {
        HTTPRoute route = client.resources(HTTPRoute.class).inNamespace(production()).withName(component).get();
        Map<String, Integer> weights = new TreeMap<>();
        for (HTTPBackendRef ref : route.getSpec().getRules().get(0).getBackendRefs()) {
            weights.put(ref.getName(), ref.getWeight());
        }
        return weights;
    }

    @Test
    void shouldSplitCanaryByReplicaRatioWithoutAGateway() {
        baseline(Environment.UAT, 4, Strategy.CANARY);
        String second = UUID.randomUUID().toString();
        deploy(second, Environment.UAT, "2.0.0", 4, Strategy.CANARY);

        shift(second, Environment.UAT, 25);
        assertEquals(1, deployment(uat(), component + "-green").getSpec().getReplicas());
        assertEquals(3, deployment(uat(), component + "-blue").getSpec().getReplicas());
        assertEquals(Map.of("app", component), selector(uat()), "both colours behind the Service");

        shift(second, Environment.UAT, 50);
        assertEquals(2, deployment(uat(), component + "-green").getSpec().getReplicas());
        assertEquals(2, deployment(uat(), component + "-blue").getSpec().getReplicas());

        shift(second, Environment.UAT, 100);
        assertEquals(Map.of("app", component, "color", "green"), selector(uat()));
        assertEquals(4, deployment(uat(), component + "-blue").getSpec().getReplicas(), "blue back at full size for instant rollback");

        rollback(second, Environment.UAT);
        assertEquals(Map.of("app", component, "color", "blue"), selector(uat()));
    }

    @Test
    void shouldRollOutWithMaxSurgeAndUndoToThePreviousTemplate() {
        String first = UUID.randomUUID().toString();
        RollOut v1 = RollOut.newBuilder().setHeader(header(first, Environment.UAT)).setStep("roll-out").setFencingToken(FencingTokens.next())
                .setVersion("1.0.0").setTarget(TargetKind.KUBERNETES).setComponents(List.of(spec("1.0.0", 3))).build();
        assertInstanceOf(RolledOut.class, bus.call(v1, WAIT));
        Deployment d = deployment(uat(), component);
        assertEquals("RollingUpdate", d.getSpec().getStrategy().getType());
        assertEquals("25%", d.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getStrVal());
        assertEquals(0, d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal());
        assertEquals(Map.of("app", component), selector(uat()));

        String second = UUID.randomUUID().toString();
        RolledOut v2 = assertInstanceOf(RolledOut.class, bus.call(RollOut.newBuilder(v1).setHeader(header(second, Environment.UAT))
                .setVersion("2.0.0").setMaxSurge("1").setComponents(List.of(spec("2.0.0", 3))).build(), WAIT));
        assertEquals("2.0.0", v2.getVersion());
        assertEquals("registry.example.com/acme/web:2.0.0", image(deployment(uat(), component)));

        assertInstanceOf(RolloutUndone.class, bus.call(UndoRollout.newBuilder().setHeader(header(second, Environment.UAT)).setStep("undo-rollout")
                .setFencingToken(FencingTokens.next()).setComponents(List.of(component)).build(), WAIT));
        assertEquals("registry.example.com/acme/web:1.0.0", image(deployment(uat(), component)), "rollout undo: the previous template is back");

        assertInstanceOf(RolloutUndone.class, bus.call(UndoRollout.newBuilder().setHeader(header(first, Environment.UAT)).setStep("undo-rollout")
                .setFencingToken(FencingTokens.next()).setComponents(List.of(component)).build(), WAIT));
        assertNull(deployment(uat(), component), "undoing the first rollout removes what it created");
    }

    @Test
    void shouldOnlyPlanInADryRun() {
        String id = UUID.randomUUID().toString();
        DeployGreen command = DeployGreen.newBuilder().setHeader(header(id, Environment.UAT)).setStep("deploy-green").setFencingToken(FencingTokens.next())
                .setDryRun(true).setVersion("9.9.9").setTarget(TargetKind.KUBERNETES).setStrategy(Strategy.BLUE_GREEN)
                .setComponents(List.of(spec("9.9.9", 2))).build();
        GreenDeployed planned = assertInstanceOf(GreenDeployed.class, bus.call(command, WAIT));
        assertEquals("blue", planned.getSlot());
        List<String> plan = bus.progress(command.getHeader().getEventId()).stream().map(StepProgress::getMessage).toList();
        assertEquals(4, plan.size(), plan.toString());
        assertTrue(plan.get(0).contains("record " + component + " blue as this deployment's new colour"), plan.get(0));
        assertTrue(plan.get(1).contains("apply apps/v1 Deployment " + uat() + "/" + component + "-blue (image registry.example.com/acme/web:9.9.9"), plan.get(1));
        assertTrue(plan.get(2).contains("apply v1 Service " + uat() + "/" + component + "-blue"), plan.get(2));
        assertTrue(plan.get(3).contains("wait for the rollout of " + uat() + "/" + component + "-blue"), plan.get(3));
        assertNull(deployment(uat(), component + "-blue"), "a dry run changes nothing");
        assertNull(client.services().inNamespace(uat()).withName(component + "-blue").get());
    }

    @Test
    void shouldKeepEachProjectEnvironmentInItsOwnLabelledNamespace() {
        String mine = uat();
        baseline(Environment.UAT, 2, Strategy.BLUE_GREEN);
        String theirs = mine;
        // A second project, same component name, same environment.
        project = ClientDatabases.newProject();
        baseline(Environment.UAT, 2, Strategy.BLUE_GREEN);
        assertNotEquals(theirs, uat());
        for (String ns : List.of(theirs, uat())) {
            assertEquals("true", client.namespaces().withName(ns).get().getMetadata().getLabels().get("runway.dev/managed"), ns);
            assertNotNull(deployment(ns, component + "-blue"), "objects keep their component names inside the namespace");
        }
        Deployment before = deployment(theirs, component + "-blue");
        Service serviceBefore = client.services().inNamespace(theirs).withName(component).get();

        String second = UUID.randomUUID().toString();
        GreenDeployed deployed = assertInstanceOf(GreenDeployed.class, deploy(second, Environment.UAT, "2.0.0", 2, Strategy.BLUE_GREEN));
        assertEquals("http://" + component + "." + uat() + ".svc:3000", deployed.getEndpoints().get(0).getFront(),
                "the project environment's own Service is its front");
        shift(second, Environment.UAT, 100);
        rollback(second, Environment.UAT);
        assertInstanceOf(GreenRemoved.class, bus.call(RemoveGreen.newBuilder().setHeader(header(second, Environment.UAT)).setStep("remove-green")
                .setFencingToken(FencingTokens.next()).setComponents(List.of(component)).build(), WAIT));
        assertNull(deployment(uat(), component + "-green"));

        Deployment after = deployment(theirs, component + "-blue");
        assertEquals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion(), "the other project's Deployment is untouched");
        assertEquals(serviceBefore.getMetadata().getResourceVersion(),
                client.services().inNamespace(theirs).withName(component).get().getMetadata().getResourceVersion());
        assertNull(deployment(theirs, component + "-green"));

        // A name that is made safe into this project's namespace is refused, naming the project that has it.
        String owner = project;
        project = project + "_";
        StepFailed collision = assertInstanceOf(StepFailed.class, deploy(UUID.randomUUID().toString(), Environment.UAT, "9.0.0", 1, Strategy.BLUE_GREEN));
        assertEquals("PROJECT_NAME_COLLISION", collision.getCode());
        assertTrue(collision.getReason().contains("'" + owner + "'"), collision.getReason());
    }

    @Test
    void shouldRefuseANamespaceNotLabelledForRunway() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(uat()).endMetadata().build())
                .create();
        StepFailed refused = assertInstanceOf(StepFailed.class, deploy(UUID.randomUUID().toString(), Environment.UAT, "1.0.0", 1, Strategy.BLUE_GREEN));
        assertEquals("NAMESPACE_NOT_MANAGED", refused.getCode());
        assertTrue(refused.getReason().contains(uat()) && refused.getReason().contains("runway.dev/managed"), refused.getReason());
        assertTrue(client.apps().deployments().inNamespace(uat()).list().getItems().isEmpty(), "nothing created there");
    }

    static String image(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }
}

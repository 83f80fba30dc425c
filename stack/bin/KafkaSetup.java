import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Brings the local broker to what the topic map says, as the admin principal (a super user):
 * <ol>
 * <li>creates the topics that do not exist yet;</li>
 * <li>gives every principal a SCRAM-SHA-512 credential (password from SECRETS/kafka-&lt;principal&gt;);</li>
 * <li>sets the ACLs the map implies and removes any other ACL of those principals: WRITE on the topics a
 * principal produces, READ on the topics it consumes, READ on the consumer groups of its prefix.</li>
 * </ol>
 * Run by {@code ./runway stack up} with the broker's own jars:
 * {@code java -cp 'libs/*' KafkaSetup.java ADMIN_CLIENT_PROPERTIES TOPIC_MAP SECRETS}.
 * k8s/backbone/kafka-users.yaml states the same ACLs for Strimzi (ops' KubernetesOverlaysTest compares them).
 */
public class KafkaSetup {

    /** Names in the map's producer/consumer columns -> principals. Others ("people", "SRE page") use no principal of their own. */
    static final Map<String, List<String>> PRINCIPALS = Map.of(
            "orchestrator", List.of("orchestrator"),
            "validator", List.of("validator"),
            "executor", List.of("executor"),
            "health-watcher", List.of("health-watcher"),
            "notifier", List.of("notifier"),
            // Read-only principals of outside subscribers; add one here, in GROUP_PREFIXES and in runway's KAFKA_PRINCIPALS.
            "outside subscribers", List.of("runway-subscriber"));

    /** Consumer groups each principal may use (prefix): the services' group ids, their tests' included. */
    static final Map<String, String> GROUP_PREFIXES = Map.of(
            "orchestrator", "orchestrator",
            "validator", "validator-service",
            "executor", "runway-executor",
            "health-watcher", "health-watcher",
            "notifier", "runway-notifier",
            "runway-subscriber", "runway-subscriber");

    public static void main(String[] args) throws Exception {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(args[0]))) {
            props.load(in);
        }
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        List<NewTopic> wanted = new ArrayList<>();
        Set<AclBinding> acls = new HashSet<>();
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] cols = line.split("\\|");
            String topic = cols[0].trim();
            wanted.add(new NewTopic(topic, Integer.parseInt(cols[1].trim()), (short) 1));
            for (String principal : principals(cols[2])) acls.add(topicAcl(principal, topic, AclOperation.WRITE));
            for (String principal : principals(cols[3])) acls.add(topicAcl(principal, topic, AclOperation.READ));
        }
        GROUP_PREFIXES.forEach((principal, prefix) -> acls.add(new AclBinding(
                new ResourcePattern(ResourceType.GROUP, prefix, PatternType.PREFIXED), allow(principal, AclOperation.READ))));

        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        try (Admin admin = Admin.create(props)) {
            while (true) {
                try {
                    Set<String> existing = admin.listTopics().names().get();
                    List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
                    if (!missing.isEmpty()) {
                        admin.createTopics(missing).all().get();
                    }
                    System.out.println("topics: " + wanted.size() + " in the map, " + missing.size() + " created");
                    break;
                } catch (Exception e) {
                    // Wrong credentials will not get better by waiting (e.g. an unsecured Kafka from before).
                    if (System.nanoTime() > deadline || e.getCause() instanceof SaslAuthenticationException) throw e;
                    Thread.sleep(500);
                }
            }

            List<UserScramCredentialUpsertion> users = new ArrayList<>();
            for (String principal : GROUP_PREFIXES.keySet()) {
                String password = Files.readString(Path.of(args[2], "kafka-" + principal)).strip();
                users.add(new UserScramCredentialUpsertion(principal,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password));
            }
            admin.alterUserScramCredentials(new ArrayList<>(users)).all().get();

            Set<String> ours = new HashSet<>();
            GROUP_PREFIXES.keySet().forEach(p -> ours.add("User:" + p));
            Collection<AclBinding> present = admin.describeAcls(AclBindingFilter.ANY).values().get();
            List<AclBindingFilter> stale = present.stream()
                    .filter(b -> ours.contains(b.entry().principal()) && !acls.contains(b))
                    .map(AclBinding::toFilter).toList();
            if (!stale.isEmpty()) {
                admin.deleteAcls(stale).all().get();
            }
            List<AclBinding> absent = acls.stream().filter(b -> !present.contains(b)).toList();
            if (!absent.isEmpty()) {
                admin.createAcls(absent).all().get();
            }
            System.out.println("principals: " + users.size() + " SCRAM users; ACLs: " + acls.size() + " ("
                    + absent.size() + " added, " + stale.size() + " removed)");
        }
    }

    static List<String> principals(String column) {
        List<String> out = new ArrayList<>();
        for (String name : column.split(",")) {
            out.addAll(PRINCIPALS.getOrDefault(name.trim(), List.of()));
        }
        return out;
    }

    static AclBinding topicAcl(String principal, String topic, AclOperation operation) {
        return new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL), allow(principal, operation));
    }

    static AccessControlEntry allow(String principal, AclOperation operation) {
        return new AccessControlEntry("User:" + principal, "*", operation, AclPermissionType.ALLOW);
    }
}

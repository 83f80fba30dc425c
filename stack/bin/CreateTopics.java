import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Creates the topics of schemas' topic map that do not exist yet, waiting for the broker first.
 * Run by `./runway stack up` with the broker's own jars: java -cp 'libs/*' CreateTopics.java BOOTSTRAP MAP
 * One JVM for all topics (TopicCommand would start one per topic).
 */
public class CreateTopics {
    public static void main(String[] args) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        List<NewTopic> wanted = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] cols = line.split("\\|");
            wanted.add(new NewTopic(cols[0].trim(), Integer.parseInt(cols[1].trim()), (short) 1));
        }
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
                    return;
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) throw e;
                    Thread.sleep(500);
                }
            }
        }
    }
}

package dev.runway.executor.support;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.runway.testsupport.Backbone;

/** Executor settings shared by @QuarkusTest resources, the restart IT and the benchmark. */
public final class ExecutorSettings {

    /** Test projects start with this, and test executors serve only those (runway.executor.projects). */
    public static final String PROJECT_PREFIX = "exec-test-";
    public static final int DEV_SLOT_BASE = 19100;
    public static final int DEV_NGINX = 18800;

    private ExecutorSettings() {
    }

    public static Map<String, String> forTests(Backbone b, Path state) {
        Map<String, String> c = new HashMap<>();
        c.put("runway.executor.projects", PROJECT_PREFIX + ".*");
        c.put("mp.messaging.incoming.\"runway.executor.commands\".group.id", "runway-executor-test");
        String clientDb = "jdbc:postgresql://" + b.pgHost() + ":" + b.pgPort() + "/runway_client_{project}";
        for (String env : new String[] { "development", "staging" }) {
            c.put("runway.executor.environments." + env + ".database-url", clientDb);
            c.put("runway.executor.environments." + env + ".database-username", b.pgUser());
            c.put("runway.executor.environments." + env + ".database-password", b.pgPassword());
        }
        c.put("runway.executor.environments.development.slot-base-port", Integer.toString(DEV_SLOT_BASE));
        c.put("runway.executor.environments.development.nginx-listen-port", Integer.toString(DEV_NGINX));
        c.put("runway.executor.environments.staging.slot-base-port", Integer.toString(DEV_SLOT_BASE + 50));
        c.put("runway.executor.environments.staging.nginx-listen-port", Integer.toString(DEV_NGINX + 50));
        c.put("runway.executor.environments.uat.namespace", "uat");
        c.put("runway.executor.environments.production.namespace", "production");
        c.put("runway.executor.environments.production.gateway", "runway-gateway");
        c.put("runway.executor.host.state-dir", state.toString());
        c.put("runway.executor.host.working-dir", Path.of("..").toAbsolutePath().normalize().toString());
        c.put("runway.executor.host.health-timeout", "90s");
        c.put("runway.executor.database.backup-dir", state.resolve("backups").toString());
        c.put("runway.executor.kubernetes.poll-interval", "0.05s");
        c.put("runway.executor.kubernetes.rollout-timeout", "20s");
        return c;
    }
}

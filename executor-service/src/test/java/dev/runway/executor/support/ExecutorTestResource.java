package dev.runway.executor.support;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.runway.testsupport.Backbone;
import dev.runway.testsupport.BackboneTestResource;

/**
 * The real backbone plus the executor's own settings for tests: JDBC beside the reactive client,
 * client databases named after the test's project, host slots on test-only ports, and a state dir
 * under target/ (so `./runway down` of a developer's Runway is never involved).
 */
public class ExecutorTestResource extends BackboneTestResource {

    public static final String DATABASE = "runway_executor_test";
    public static final Path STATE = Path.of("target", "executor-state").toAbsolutePath();

    @Override
    public void init(Map<String, String> initArgs) {
        Map<String, String> args = new HashMap<>(initArgs);
        args.put("database", DATABASE);
        args.put("jdbc", "true");
        super.init(args);
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        Backbone b = Backbone.get();
        config.putAll(ExecutorSettings.forTests(b, STATE));
        // Secrets only the executor's user may read (a release run as another user is refused otherwise).
        ExecutorSettings.privateDir(ExecutorSettings.secretsDir(STATE));
        ExecutorSettings.privateDir(ExecutorSettings.appSecretsDir(STATE));
        return config;
    }
}

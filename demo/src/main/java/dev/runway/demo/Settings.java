package dev.runway.demo;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Where the demo finds the local Runway. {@code ./runway} passes every value: it owns the stack's ports and
 * the state directory, so this program repeats none of them.
 *
 * @param root the repository (examples/, cli/bin/runway-cli, stack/bin/Token.java, the services' configuration)
 * @param state {@code ./runway}'s state directory (pids/, logs/, demo/)
 * @param kafka Kafka client settings: bootstrap servers ({@code --kafka}) and the stack's admin credentials
 *        ({@code --kafka-config}, a client properties file: security.protocol, sasl.mechanism, sasl.jaas.config)
 * @param postgres PostgreSQL's host:port
 * @param databases the services' own databases, emptied by {@code prepare}
 * @param started when {@code ./runway demo} started (epoch seconds), for the whole demo's time
 * @param scenario which demo: {@code shop} (demo-shop and nova-blog, the default) or {@code nextjs} (examples/nextjs-prisma)
 */
record Settings(Path root, Path state, Map<String, Object> kafka, String postgres, String pgUser, String pgPassword, String redis,
        List<String> databases, long started, String scenario) {

    static final String SHOP = "shop";
    static final String NEXTJS = "nextjs";

    static final Set<String> OPTIONS = Set.of("--root", "--state", "--kafka", "--postgres", "--pg-user", "--pg-password", "--redis",
            "--kafka-config", "--databases", "--started", "--scenario");

    /** {@code --name value} pairs; every option but {@code --kafka-config}, {@code --databases}, {@code --started} and {@code --scenario} is required. */
    static Settings parse(List<String> args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.size(); i += 2) {
            String name = args.get(i);
            if (!OPTIONS.contains(name) || i + 1 >= args.size()) {
                throw new UsageException("unknown option or option without a value: " + name);
            }
            values.put(name, args.get(i + 1));
        }
        for (String required : List.of("--root", "--state", "--kafka", "--postgres", "--pg-user", "--pg-password", "--redis")) {
            if (!values.containsKey(required)) {
                throw new UsageException("missing " + required);
            }
        }
        List<String> databases = values.containsKey("--databases")
                ? Arrays.stream(values.get("--databases").split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList()
                : List.of();
        long started;
        try {
            started = Long.parseLong(values.getOrDefault("--started", "0"));
        } catch (NumberFormatException e) {
            throw new UsageException("--started takes epoch seconds");
        }
        String scenario = values.getOrDefault("--scenario", SHOP);
        if (!List.of(SHOP, NEXTJS).contains(scenario)) {
            throw new UsageException("--scenario is shop or nextjs, not " + scenario);
        }
        Map<String, Object> kafka = new HashMap<>();
        if (values.containsKey("--kafka-config")) {
            Properties client = new Properties();
            try (Reader in = Files.newBufferedReader(Path.of(values.get("--kafka-config")))) {
                client.load(in);
            } catch (IOException e) {
                throw new UsageException("cannot read --kafka-config " + values.get("--kafka-config") + ": " + e.getMessage());
            }
            client.forEach((k, v) -> kafka.put((String) k, v));
        }
        kafka.put("bootstrap.servers", values.get("--kafka"));
        return new Settings(Path.of(values.get("--root")).toAbsolutePath().normalize(), Path.of(values.get("--state")).toAbsolutePath(),
                Map.copyOf(kafka), values.get("--postgres"), values.get("--pg-user"), values.get("--pg-password"),
                values.get("--redis"), databases, started, scenario);
    }

    Path demoDir() {
        return state.resolve("demo");
    }

    Path pidsDir() {
        return state.resolve("pids");
    }

    /** Where the Next.js example's builds are kept across demos, one folder per build key (examples/nextjs-prisma/scripts/build.sh). */
    Path nextjsBuilds() {
        return state.resolve("builds").resolve(DemoProjects.NEXTJS);
    }

    Path logsDir() {
        return state.resolve("logs");
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://" + postgres + "/" + database;
    }

    /** A command line given to the demo was wrong: exit 2, like {@code ./runway}'s usage errors. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}

package dev.runway.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The demos' projects and the client database each project environment gets (the executor's
 * {@code RUNWAY_DB_<PROJECT>_<ENV>_URL|USERNAME|PASSWORD} template, executor-service/README.md).
 */
final class DemoProjects {

    /** Client runway-demo's project (examples/demo-shop), the one the four scenarios deploy. */
    static final String SHOP = "demo-shop";
    /** A second client's project (nova-media, examples/nova-blog), deployed beside demo-shop at the same time. */
    static final String BLOG = "nova-blog";
    static final List<String> ALL = List.of(SHOP, BLOG);
    /** The Next.js + Prisma application (examples/nextjs-prisma) of {@code ./runway demo nextjs}. */
    static final String NEXTJS = "nextjs-prisma";
    static final List<String> ENVIRONMENTS = List.of("development", "staging", "production");

    private DemoProjects() {
    }

    /** The projects a scenario deploys ({@link Settings#scenario()}). */
    static List<String> of(String scenario) {
        return Settings.NEXTJS.equals(scenario) ? List.of(NEXTJS) : ALL;
    }

    static String database(String project, String environment) {
        return "runway_client_" + project.replace('-', '_') + "_" + environment;
    }

    static List<String> databases(String scenario) {
        List<String> names = new ArrayList<>();
        of(scenario).forEach(p -> ENVIRONMENTS.forEach(e -> names.add(database(p, e))));
        return names;
    }

    /**
     * What the services need for the demo, as {@code NAME=value} words: the client database of each project
     * environment, and verification windows short enough for the deployments to fit in minutes.
     */
    static List<String> serviceEnvironment(Settings settings) {
        List<String> env = new ArrayList<>();
        for (String p : of(settings.scenario())) {
            for (String e : ENVIRONMENTS) {
                String variable = "RUNWAY_DB_" + upper(p) + "_" + upper(e);
                env.add(variable + "_URL=" + settings.jdbcUrl(database(p, e)));
                env.add(variable + "_USERNAME=" + settings.pgUser());
                env.add(variable + "_PASSWORD=" + settings.pgPassword());
            }
        }
        if (Settings.NEXTJS.equals(settings.scenario())) {
            // The release itself reads its database and finds its build through the operator's secrets for its project
            // environment (they win over config/<env>.env's references; executor-service/README.md, issue 15).
            for (String e : ENVIRONMENTS) {
                String secret = "RUNWAY_SECRET_" + upper(NEXTJS) + "_" + upper(e) + "__";
                env.add(secret + "DATABASE_URL=postgresql://" + settings.pgUser() + ":" + settings.pgPassword() + "@"
                        + settings.postgres() + "/" + database(NEXTJS, e));
                env.add(secret + "NEXT_BUILDS=" + settings.nextjsBuilds());
            }
        }
        // The demo's repositories are local directories, which the validator reads only under allowed roots; the CLI's
        // snapshots too, as `./runway up` allows: services the demo left running serve cli/README's first deployment.
        env.add("RUNWAY_VALIDATOR_REPOSITORIES_ALLOW_FILE_ROOTS=" + settings.demoDir() + "," + settings.state().resolve("snapshots"));
        for (String e : ENVIRONMENTS) {
            env.add("RUNWAY_ENVIRONMENTS_" + upper(e) + "_VERIFY_SECONDS=4");
        }
        return env;
    }

    private static String upper(String name) {
        return name.replace('-', '_').toUpperCase(Locale.ROOT);
    }
}

package dev.runway.cli.init;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.runway.cli.init.RepositoryScan.Component;
import dev.runway.cli.init.RepositoryScan.Kind;
import dev.runway.cli.init.RepositoryScan.Prisma;

/**
 * What {@code runway init} would write for a scanned repository: every file's path and content
 * (nothing on disk yet), what was detected, and notes on what it could not know. A function of
 * the repository only: no clock, no host, sorted everywhere.
 */
public final class InitPlan {

    /** The environments a config example is written for (sop.md 000-5.2). */
    public static final List<String> ENVIRONMENTS = List.of("development", "staging", "production");

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build();

    private final String project;
    private final List<Component> components;
    private final Optional<Prisma> prisma;
    private final boolean sqlMigrations;
    private final SortedSet<String> variables;
    private final RepositoryScan scan;

    private InitPlan(RepositoryScan scan) {
        this.scan = scan;
        this.project = scan.projectName();
        this.components = scan.components();
        this.prisma = scan.prisma();
        this.sqlMigrations = scan.sqlMigrations();
        SortedSet<String> vars = scan.environmentVariables();
        if (prisma.isPresent() || sqlMigrations) {
            vars.add("DATABASE_URL");
        }
        this.variables = vars;
    }

    public static InitPlan of(RepositoryScan scan) {
        return new InitPlan(scan);
    }

    public String project() {
        return project;
    }

    public List<Component> components() {
        return components;
    }

    public SortedSet<String> variables() {
        return variables;
    }

    public Optional<Prisma> prisma() {
        return prisma;
    }

    /** "monorepo (apps/, services/)" or "single component at the repository root". */
    public String layout() {
        if (components.isEmpty()) {
            return "no component found";
        }
        return components.get(0).dir().isEmpty() ? "single component at the repository root" : "SOP monorepo (apps/<name>, services/<name>)";
    }

    /** One line per detected fact, for the manifest's header and the command's output. */
    public List<String> detected() {
        List<String> lines = new ArrayList<>();
        lines.add("layout: " + layout() + (scan.truncated() ? " (scan stopped at " + RepositoryScan.MAX_FILES + " files)" : ""));
        for (Component c : components) {
            lines.add("component " + c.name() + ": " + describe(c));
        }
        prisma.ifPresent(p -> lines.add("database: " + p.schemaFile() + " (provider " + Optional.ofNullable(p.provider()).orElse("unknown")
                + ") -> postgresql, migrations tool prisma in prisma/migrations"));
        if (prisma.isEmpty() && sqlMigrations) {
            lines.add("database: SQL migrations in database/migrations -> postgresql, migrations tool sql");
        }
        lines.add("variables: " + (variables.isEmpty() ? "none found" : String.join(", ", variables)));
        return lines;
    }

    static String describe(Component c) {
        String where = c.dir().isEmpty() ? "." : c.dir();
        return switch (c.kind()) {
            case NEXTJS -> "Next.js " + Optional.ofNullable(c.frameworkVersion()).orElse("") + " in " + where + ", " + c.packageManager()
                    + ", port " + c.port() + ", " + dockerDescription(c);
            case NODE -> "Node " + c.nodeVersion() + " in " + where + ", " + c.packageManager() + ", port " + c.port() + ", "
                    + dockerDescription(c);
            case FLUTTER -> "Flutter in " + where + ", platforms " + String.join(", ", c.platforms());
        };
    }

    private static String dockerDescription(Component c) {
        return c.dockerfile() == null ? "no Dockerfile" : "Dockerfile " + c.dockerfile();
    }

    /** Things the repository does not say, each with why it matters. */
    public List<String> notes() {
        List<String> notes = new ArrayList<>();
        notes.add("project.client: not known from the repository; add the client's name (it is the tenant tokens are scoped by)");
        for (Component c : components) {
            if (!c.mobile() && !c.healthRouteFound()) {
                notes.add("components." + c.name() + ".healthcheck is " + c.healthcheck() + ", but no such route was found in " + (c.dir().isEmpty()
                        ? "the code" : c.dir()) + "; add it: the health-watcher decides rollbacks from it");
            }
        }
        prisma.filter(p -> p.provider() != null && !p.provider().equals("postgresql"))
                .ifPresent(p -> notes.add(p.schemaFile() + " uses provider " + p.provider() + "; Runway deploys PostgreSQL only (sop.md 000-2)"));
        return notes;
    }

    /** Every file {@code runway init} writes, by path, in the order they are written. */
    public Map<String, String> files() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("deploy.manifest.yaml", manifest());
        files.put("DEPLOYMENT.md", deploymentGuide());
        for (String env : ENVIRONMENTS) {
            files.put("config/" + env + ".env.example", Templates.render("env.example", Map.of("project", project, "environment", env,
                    "variables", variables.stream().map(v -> v + "=").collect(Collectors.joining("\n")))));
        }
        files.put("scripts/deploy.sh", Templates.render("deploy.sh", Map.of("project", project)));
        files.put("scripts/rollback.sh", Templates.render("rollback.sh", Map.of("project", project)));
        files.put(".github/workflows/runway.yml", workflow());
        return files;
    }

    String manifest() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("version", "1.0");
        ObjectNode p = root.putObject("project");
        p.put("name", project);
        p.put("type", projectType());
        ObjectNode comps = root.putObject("components");
        for (Component c : components) {
            comps.set(c.name(), component(c));
        }
        if (prisma.isPresent() || sqlMigrations) {
            ObjectNode db = root.putObject("database");
            db.put("type", "postgresql");
            ObjectNode migrations = db.putObject("migrations");
            if (prisma.isPresent()) {
                migrations.put("tool", "prisma");
                migrations.put("command", "npx prisma migrate deploy");
                migrations.put("path", "prisma/migrations");
            } else {
                migrations.put("tool", "sql");
                migrations.put("path", "database/migrations");
            }
            ObjectNode backup = db.putObject("backup");
            backup.put("enabled", true);
            backup.put("retention", 30);
        }
        if (!variables.isEmpty()) {
            ArrayNode required = root.putObject("environment").putArray("required");
            variables.forEach(required::add);
        }
        ObjectNode deployment = root.putObject("deployment");
        deployment.put("strategy", "blue-green");
        ObjectNode approval = deployment.putObject("approval_required");
        approval.put("staging", false);
        approval.put("production", true);
        ObjectNode rollback = root.putObject("rollback");
        rollback.put("automatic", true);
        ObjectNode threshold = rollback.putObject("threshold");
        threshold.put("error_rate", 5);
        threshold.put("latency_p99", 2000);
        String header = Templates.render("manifest-header.yaml", Map.of("project", project,
                "detected", detected().stream().map(l -> "#   " + l).collect(Collectors.joining("\n"))));
        try {
            return header + "\n" + YAML.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ObjectNode component(Component c) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("enabled", true);
        if (c.kind() == Kind.FLUTTER) {
            n.put("framework", "flutter");
            ArrayNode platforms = n.putArray("platforms");
            c.platforms().forEach(platforms::add);
            ObjectNode build = n.putObject("build");
            if (c.platforms().contains("android")) {
                build.put("android", "flutter build appbundle --release");
            }
            if (c.platforms().contains("ios")) {
                build.put("ios", "flutter build ipa --release");
            }
            return n;
        }
        if (c.kind() == Kind.NEXTJS) {
            n.put("framework", "nextjs");
            if (c.frameworkVersion() != null) {
                n.put("version", c.frameworkVersion());
            }
            n.put("runtime", "node");
        } else {
            n.put("runtime", "node");
            n.put("version", c.nodeVersion());
        }
        if (c.dockerfile() != null && !c.dockerfile().equals(conventionalDockerfile(c))) {
            n.put("dockerfile", c.dockerfile());
        }
        n.put("port", c.port());
        n.put("healthcheck", c.healthcheck());
        if (c.hasBuildScript()) {
            n.putObject("build").put("command", c.packageManager() + " run build");
        }
        ObjectNode deploy = n.putObject("deploy");
        deploy.put("replicas", 2);
        if (c.hasStartScript()) {
            deploy.put("artifact", c.packageManager() + " run start");
        }
        return n;
    }

    /** Where the validator looks without being told: the component's folder, or the root for a single component. */
    private String conventionalDockerfile(Component c) {
        return c.dir().isEmpty() ? "Dockerfile" : c.dir() + "/Dockerfile";
    }

    private String projectType() {
        boolean mobile = components.stream().anyMatch(Component::mobile);
        boolean server = components.stream().anyMatch(c -> !c.mobile());
        long serverKinds = components.stream().filter(c -> !c.mobile()).map(Component::kind).distinct().count();
        if (mobile && server || serverKinds > 1) {
            return "fullstack";
        }
        return mobile ? "mobile" : "web";
    }

    private String deploymentGuide() {
        String rows = components.stream().map(c -> "| " + c.name() + " | " + (c.dir().isEmpty() ? "." : c.dir()) + " | " + kindName(c.kind())
                + " | " + (c.mobile() ? "app stores, no container" : Optional.ofNullable(c.dockerfile()).orElse("missing")) + " |")
                .collect(Collectors.joining("\n"));
        String vars = variables.isEmpty() ? "none found." : variables.stream().map(v -> "- `" + v + "`").collect(Collectors.joining("\n"));
        String database = prisma.map(p -> "PostgreSQL, schema `" + p.schemaFile() + "`, migrations made with Prisma in `prisma/migrations` "
                + "(`YYYYMMDDHHMMSS_name/migration.sql`). They are applied before the new version starts and must keep the running "
                + "version working (add, copy, switch code, drop in a later release). The database is backed up first; a failed "
                + "migration is restored from that backup.")
                .orElse(sqlMigrations ? "PostgreSQL, migrations in `database/migrations` (`YYYYMMDDHHMMSS_description.sql`), applied "
                        + "before the new version starts, after a backup; they must keep the running version working." : "None declared.");
        return Templates.render("DEPLOYMENT.md", Map.of("project", project, "strategy", "blue-green", "components", rows,
                "variables", vars, "database", database));
    }

    private static String kindName(Kind kind) {
        return switch (kind) {
            case NEXTJS -> "Next.js";
            case NODE -> "Node";
            case FLUTTER -> "Flutter";
        };
    }

    private String workflow() {
        boolean npmRoot = scan.isFile("package-lock.json");
        String step = npmRoot ? "      - name: dependency scan (npm audit, read by the validator)\n"
                + "        run: mkdir -p security && (npm audit --json > security/npm-audit.json || true)\n" : "";
        String option = npmRoot ? "--scan-report security/npm-audit.json " : "";
        return Templates.render("runway.yml", Map.of("scan_step", step, "scan_option", option));
    }
}

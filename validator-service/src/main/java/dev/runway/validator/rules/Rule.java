package dev.runway.validator.rules;

import dev.runway.events.Severity;

/**
 * Every named rule the validator applies, with its phase and the severity it has when it fails.
 * A few rules decide their severity per request (CI evidence is a warning only for development;
 * a component without a port is only warned about); {@link #severity()} is the usual one.
 */
public enum Rule {
    SOURCE_READABLE("source.readable", Phase.STRUCTURE, Severity.ERROR,
            "the repository can be read at the requested commit"),
    REQUIRED_FILE("structure.required-file", Phase.STRUCTURE, Severity.ERROR,
            "the six files of sop.md 000-4.2 exist"),

    MANIFEST_YAML("manifest.yaml", Phase.MANIFEST, Severity.ERROR,
            "deploy.manifest.yaml exists and is one bounded, alias-free YAML mapping"),
    MANIFEST_SCHEMA("manifest.schema", Phase.MANIFEST, Severity.ERROR,
            "the manifest is valid against runway/deploy-manifest.schema.json"),
    PROJECT_NAME("manifest.project-name", Phase.MANIFEST, Severity.ERROR,
            "project.name is present"),
    COMPONENTS_ENABLED("manifest.components-enabled", Phase.MANIFEST, Severity.ERROR,
            "at least one component is enabled"),
    REQUESTED_COMPONENTS("manifest.requested-components", Phase.MANIFEST, Severity.ERROR,
            "every component named in the request exists and is enabled"),
    COMPONENT_BUILD("manifest.component-build", Phase.MANIFEST, Severity.ERROR,
            "an enabled component says how it is built: build.command or runtime, one build per mobile platform"),
    COMPONENT_HEALTHCHECK("manifest.component-healthcheck", Phase.MANIFEST, Severity.ERROR,
            "an enabled server component with a port has a healthcheck (warning when it has neither)"),

    ENV_CONFIG_FILE("env.config-file", Phase.ENVIRONMENT, Severity.ERROR,
            "config/<env>.env or config/<env>.env.encrypted exists"),
    ENV_REQUIRED_VARIABLE("env.required-variable", Phase.ENVIRONMENT, Severity.ERROR,
            "every environment.required variable is defined in the environment's config"),
    ENV_NO_COMMITTED_SECRETS("env.no-committed-secrets", Phase.ENVIRONMENT, Severity.ERROR,
            "no secret values, private keys or .env.local are committed (sop.md 000-5.3)"),

    UNCOMMITTED_CHANGES("code.uncommitted-changes", Phase.CODE, Severity.ERROR,
            "no uncommitted changes (a working directory); a requested commit is immutable"),
    COMMIT_ON_BRANCH("code.commit-on-branch", Phase.CODE, Severity.ERROR,
            "the commit is reachable from a branch"),
    PRODUCTION_FROM_MAIN("code.production-from-main", Phase.CODE, Severity.ERROR,
            "production deploys only commits on main"),
    VERSION_TAG("code.version-tag", Phase.CODE, Severity.ERROR,
            "the requested version's tag (1.2.3 or v1.2.3) exists and points at the commit"),

    LOCKFILE("deps.lockfile", Phase.DEPENDENCIES, Severity.ERROR,
            "every package.json has the lockfile of its package manager (npm: package-lock.json, pnpm: pnpm-lock.yaml, yarn: yarn.lock), every pubspec.yaml a pubspec.lock"),
    SCAN_REPORT("deps.scan-report", Phase.DEPENDENCIES, Severity.ERROR,
            "a project with dependencies or containers has a readable scan report (npm audit, Trivy or OSV JSON)"),
    VULNERABILITIES("deps.vulnerabilities", Phase.DEPENDENCIES, Severity.ERROR,
            "no vulnerability above Low, and none of unknown severity (sop.md 000-1.2)"),

    CI_EVIDENCE("tests.ci-evidence", Phase.TESTS, Severity.ERROR,
            "the request carries a passed CI run reference (a warning for development)"),

    MIGRATIONS_PRESENT("migrations.present", Phase.MIGRATIONS, Severity.ERROR,
            "a project with a database keeps its migrations in database.migrations.path, else the tool's folder (prisma: prisma/migrations, otherwise database/migrations)"),
    MIGRATION_NAMING("migrations.naming", Phase.MIGRATIONS, Severity.ERROR,
            "migrations are named YYYYMMDDHHMMSS_description.sql (sop.md 000-8.1)"),
    MIGRATION_ORDER("migrations.order", Phase.MIGRATIONS, Severity.ERROR,
            "timestamps are unique, and migrations new in this release sort after the released ones"),
    SCHEMA_CHANGE_WITHOUT_MIGRATION("migrations.schema-change", Phase.MIGRATIONS, Severity.ERROR,
            "a schema file changed since the previous release comes with a new migration"),
    FORWARD_COMPATIBLE("migrations.forward-compatible", Phase.MIGRATIONS, Severity.ERROR,
            "new migrations keep the running version working (004): no renames, type changes, NOT NULL without default, or drops of what code still reads"),

    DOCKERFILE("containers.dockerfile", Phase.CONTAINERS, Severity.ERROR,
            "every enabled server component has a Dockerfile: declared (dockerfile, path), apps/<name>/, services/<name>/, <name>/, or the root of a single-component repository"),
    BASE_IMAGE("containers.base-image", Phase.CONTAINERS, Severity.WARNING,
            "a Dockerfile has a FROM (error) with a pinned tag, not :latest (warning)");

    private final String id;
    private final Phase phase;
    private final Severity severity;
    private final String description;

    Rule(String id, Phase phase, Severity severity, String description) {
        this.id = id;
        this.phase = phase;
        this.severity = severity;
        this.description = description;
    }

    public String id() {
        return id;
    }

    public Phase phase() {
        return phase;
    }

    public Severity severity() {
        return severity;
    }

    public String description() {
        return description;
    }
}

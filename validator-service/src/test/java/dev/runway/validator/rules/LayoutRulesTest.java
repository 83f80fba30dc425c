package dev.runway.validator.rules;

import static dev.runway.validator.fixtures.Reports.assertFailed;
import static dev.runway.validator.fixtures.Reports.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.runway.events.CheckStatus;
import dev.runway.validator.fixtures.FixtureRepo;
import dev.runway.validator.fixtures.Reports;

/**
 * Real repositories beyond the SOP monorepo (issue 16): a single component at the root, Dockerfiles
 * and folders named in the manifest, pnpm and yarn projects, and Prisma's migrations folder. Each
 * repository is made here with JGit.
 */
class LayoutRulesTest {

    static final String SINGLE = """
            version: "1.0"
            project:
              name: "shop"
            components:
              web:
                framework: "nextjs"
                port: 3000
                healthcheck: "/api/health"
                build:
                  command: "npm run build"
            """;

    static final String DOCKERFILE = "FROM node:20.11-alpine\nCMD [\"node\", \"server.js\"]\n";

    /** A single Next.js application at the root of its repository, the way most real projects are laid out. */
    static FixtureRepo singleComponent(String manifest) {
        FixtureRepo repo = FixtureRepo.empty();
        repo.write("deploy.manifest.yaml", manifest)
                .write("Dockerfile", DOCKERFILE)
                .write("package.json", "{\"name\": \"shop\", \"dependencies\": {\"next\": \"15.0.0\"}}\n")
                .write("package-lock.json", "{\"lockfileVersion\": 3, \"packages\": {}}\n")
                .release("v1.0.0");
        return repo;
    }

    @Test
    void rootDockerfileOfASingleComponentRepositoryIsFoundAndTheReportSaysSo() {
        try (FixtureRepo repo = singleComponent(SINGLE)) {
            Check check = assertStatus(repo.validate(), Rule.DOCKERFILE, CheckStatus.PASSED,
                    "Dockerfile for web: Dockerfile (single-component repository, at the root)");
            assertEquals("Dockerfile", check.file());
        }
    }

    @Test
    void monorepoFolderComesBeforeTheRoot() {
        try (FixtureRepo repo = singleComponent(SINGLE)) {
            repo.write("apps/web/Dockerfile", DOCKERFILE).release("v1.1.0");
            assertStatus(repo.validate(), Rule.DOCKERFILE, CheckStatus.PASSED,
                    "Dockerfile for web: apps/web/Dockerfile (SOP monorepo layout, apps/web)");
        }
    }

    @Test
    void rootDockerfileIsNotUsedForTwoServerComponents() {
        try (FixtureRepo repo = singleComponent(SINGLE + """
                  api:
                    runtime: "node"
                    port: 4000
                    healthcheck: "/health"
                """)) {
            repo.commit("two components");
            Check check = assertFailed(repo.validate(), Rule.DOCKERFILE,
                    "No Dockerfile for enabled component web (looked at apps/web/Dockerfile, services/web/Dockerfile, web/Dockerfile)");
            assertEquals(true, check.hint().contains("components.web.dockerfile"), check.hint());
        }
    }

    @Test
    void declaredPathAndDockerfileAreHonoured() {
        try (FixtureRepo repo = singleComponent(SINGLE.replace("    framework: \"nextjs\"\n",
                "    framework: \"nextjs\"\n    dockerfile: \"docker/web.Dockerfile\"\n"))) {
            // The root Dockerfile exists too; the declared one is the one used.
            repo.write("docker/web.Dockerfile", DOCKERFILE).release("v1.1.0");
            assertStatus(repo.validate(), Rule.DOCKERFILE, CheckStatus.PASSED,
                    "Dockerfile for web: docker/web.Dockerfile (declared in the manifest)");
            repo.delete("docker/web.Dockerfile").release("v1.2.0");
            assertFailed(repo.validate(), Rule.DOCKERFILE, "No Dockerfile for enabled component web (looked at docker/web.Dockerfile (declared))");
        }
        try (FixtureRepo repo = singleComponent(SINGLE.replace("    framework: \"nextjs\"\n",
                "    framework: \"nextjs\"\n    path: \"packages/storefront\"\n"))) {
            repo.write("packages/storefront/Dockerfile", DOCKERFILE).release("v1.1.0");
            assertStatus(repo.validate(), Rule.DOCKERFILE, CheckStatus.PASSED,
                    "Dockerfile for web: packages/storefront/Dockerfile (the manifest's path packages/storefront)");
        }
    }

    @Test
    void pathWithDotDotIsRefusedByTheSchema() {
        try (FixtureRepo repo = singleComponent(SINGLE.replace("    framework: \"nextjs\"\n",
                "    framework: \"nextjs\"\n    path: \"../outside\"\n"))) {
            Check check = assertFailed(repo.validate(), Rule.MANIFEST_SCHEMA, "/components/web/path");
            // The unsafe path is never looked at: the convention still finds the root Dockerfile.
            assertStatus(repo.validate(), Rule.DOCKERFILE, CheckStatus.PASSED, "Dockerfile for web: Dockerfile");
            assertEquals(CheckStatus.FAILED, check.status());
        }
    }

    @Test
    void pnpmLockfileSatisfiesAPnpmProject() {
        try (FixtureRepo repo = singleComponent(SINGLE)) {
            repo.delete("package-lock.json")
                    .write("package.json", "{\"name\": \"shop\", \"packageManager\": \"pnpm@9.12.0\"}\n")
                    .write("pnpm-lock.yaml", "lockfileVersion: '9.0'\n").release("v1.1.0");
            assertStatus(repo.validate(), Rule.LOCKFILE, CheckStatus.PASSED,
                    "Lockfile exists for package.json: pnpm-lock.yaml (pnpm: packageManager pnpm@9.12.0 in package.json)");
            // Declared pnpm, but only npm's lockfile: not locked for the manager that installs.
            repo.delete("pnpm-lock.yaml").write("package-lock.json", "{\"lockfileVersion\": 3}\n").release("v1.2.0");
            Check check = assertFailed(repo.validate(), Rule.LOCKFILE, "pnpm-lock.yaml missing for package.json (pnpm: packageManager pnpm@9.12.0");
            assertEquals("run 'pnpm install' and commit pnpm-lock.yaml", check.hint());
        }
    }

    @Test
    void yarnLockfileSatisfiesAYarnProjectFoundByItsLockfile() {
        try (FixtureRepo repo = singleComponent(SINGLE)) {
            repo.delete("package-lock.json").write("yarn.lock", "# yarn lockfile v1\n").release("v1.1.0");
            assertStatus(repo.validate(), Rule.LOCKFILE, CheckStatus.PASSED,
                    "Lockfile exists for package.json: yarn.lock (yarn: yarn.lock present)");
        }
    }

    @Test
    void npmWithoutPackageLockStillFailsWithTheSopWording() {
        try (FixtureRepo repo = singleComponent(SINGLE)) {
            repo.delete("package-lock.json").release("v1.1.0");
            Check check = assertFailed(repo.validate(), Rule.LOCKFILE, "package-lock.json missing for package.json");
            assertEquals("run 'npm install' and commit package-lock.json", check.hint());
            repo.write("package.json", "{\"name\": \"shop\", \"packageManager\": \"npm@10.8.2\"}\n").release("v1.2.0");
            assertFailed(repo.validate(), Rule.LOCKFILE, "package-lock.json missing for package.json");
        }
    }

    @Test
    void prismaMigrationsAreLookedForInPrismaMigrations() {
        String withPrisma = SINGLE + """
                database:
                  type: "postgresql"
                  migrations:
                    tool: "prisma"
                    command: "npx prisma migrate deploy"
                """;
        try (FixtureRepo repo = singleComponent(withPrisma)) {
            assertFailed(repo.validate(), Rule.MIGRATIONS_PRESENT, "Database declared but no migrations in prisma/migrations");
            repo.write("prisma/schema.prisma", "datasource db {\n  provider = \"postgresql\"\n  url = env(\"DATABASE_URL\")\n}\n")
                    .write("prisma/migrations/migration_lock.toml", "provider = \"postgresql\"\n")
                    .write("prisma/migrations/20260115143022_init/migration.sql", "CREATE TABLE shop_order (id BIGINT PRIMARY KEY);\n")
                    .release("v1.1.0");
            Reports.assertPassed(repo.validate(), Rule.MIGRATIONS_PRESENT);
            Reports.assertPassed(repo.validate(), Rule.MIGRATION_NAMING);
        }
    }
}

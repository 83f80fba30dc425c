package dev.runway.cli.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.runway.cli.CliRun;
import dev.runway.manifest.ManifestReader;

/**
 * {@code runway init} on existing repositories in each layout real projects use: what it detects,
 * that the manifest it writes is valid against the schema (the shared bounded reader), that the
 * printed list names exactly what is still missing, that a second run writes nothing and that
 * --force prints the diff of what it replaces.
 */
class InitCommandTest {

    static final List<String> WRITTEN = List.of("deploy.manifest.yaml", "DEPLOYMENT.md", "config/development.env.example",
            "config/staging.env.example", "config/production.env.example", "scripts/deploy.sh", "scripts/rollback.sh",
            ".github/workflows/runway.yml");
    static final String COMPOSE = "Missing required file: docker-compose.yml (structure.required-file): add docker-compose.yml (sop.md 000-4.2)";
    static final String CI = "Missing required file: .github/workflows/ci.yml (structure.required-file): add .github/workflows/ci.yml (sop.md 000-4.2)";
    static final String CONFIG = "Missing environment config: config/staging.env (env.config-file): commit config/staging.env with non-secret "
            + "values and secret references (vault:...), or config/staging.env.encrypted";
    static final String SCAN_HINT = " (deps.scan-report): attach npm audit --json, trivy --format json or osv-scanner --format json output to "
            + "the request, or commit it under security/";
    static final String CLIENT = "project.client: not known from the repository; add the client's name (it is the tenant tokens are scoped by)";

    @TempDir
    Path dir;

    @Test
    void sopMonorepoWithNextjsAppAndNodeApi() {
        Path repo = Fixtures.monorepo(dir.resolve("platform"));
        CliRun run = init(repo);
        assertEquals(List.of(
                "layout: SOP monorepo (apps/<name>, services/<name>)",
                "component web: Next.js 15.x in apps/web, npm, port 3000, Dockerfile apps/web/Dockerfile",
                "component api: Node 20 in services/api, npm, port 4000, Dockerfile services/api/Dockerfile",
                "variables: DATABASE_URL, JWT_SECRET, NEXT_PUBLIC_API_URL"), detected(run.out()));
        assertEquals(List.of(COMPOSE, CI, CONFIG,
                "No vulnerability scan report (project has apps/web/Dockerfile, apps/web/package.json, package.json)" + SCAN_HINT,
                CLIENT), missing(run.out()));
        var manifest = validManifest(repo);
        assertEquals("nextjs", manifest.at("/components/web/framework").asText());
        assertEquals("node", manifest.at("/components/api/runtime").asText());
        assertEquals(4000, manifest.at("/components/api/port").asInt());
        assertTrue(manifest.at("/components/web/dockerfile").isMissingNode(), "the convention finds apps/web/Dockerfile");
        assertTrue(manifest.at("/database").isMissingNode(), "no migrations, no database declared");
        assertEquals("fullstack", manifest.at("/project/type").asText());
        assertSecondRunWritesNothing(repo, run);
    }

    @Test
    void singleNextjsAtTheRootWithDockerfileAndPrisma() {
        Path repo = Fixtures.nextjsPrisma(dir.resolve("storefront"));
        CliRun run = init(repo);
        assertEquals(List.of(
                "layout: single component at the repository root",
                "component web: Next.js 14.x in ., npm, port 3000, Dockerfile Dockerfile",
                "database: prisma/schema.prisma (provider postgresql) -> postgresql, migrations tool prisma in prisma/migrations",
                "variables: DATABASE_URL, NEXTAUTH_SECRET, STRIPE_SECRET_KEY"), detected(run.out()));
        assertEquals(List.of(COMPOSE, CI, CONFIG, "No vulnerability scan report (project has Dockerfile, package.json)" + SCAN_HINT, CLIENT,
                "components.web.healthcheck is /api/health, but no such route was found in the code; add it: the health-watcher decides "
                        + "rollbacks from it"), missing(run.out()));
        var manifest = validManifest(repo);
        assertEquals("storefront", manifest.at("/project/name").asText(), "the npm scope is dropped");
        assertEquals("postgresql", manifest.at("/database/type").asText());
        assertEquals("prisma", manifest.at("/database/migrations/tool").asText());
        assertEquals("npm run start", manifest.at("/components/web/deploy/artifact").asText());
        assertEquals("[\"DATABASE_URL\",\"NEXTAUTH_SECRET\",\"STRIPE_SECRET_KEY\"]", manifest.at("/environment/required").toString());
        assertEquals("""
                DATABASE_URL=
                NEXTAUTH_SECRET=
                STRIPE_SECRET_KEY=
                """, read(repo.resolve("config/staging.env.example")).lines().filter(l -> !l.startsWith("#")).map(l -> l + "\n")
                .reduce("", String::concat));
        // The Prisma migrations the repository has pass the validator's naming rule (no missing line above says otherwise).
        assertFalse(run.out().contains("migrations."), run.out());
        assertTrue(Files.isExecutable(repo.resolve("scripts/deploy.sh")));
        assertTrue(read(repo.resolve("scripts/rollback.sh")).contains("rollback \"$ENVIRONMENT\" \"$TARGET\" -p storefront --wait"));
        assertTrue(read(repo.resolve(".github/workflows/runway.yml")).contains("runway validate . -e \"$RUNWAY_ENVIRONMENT\" "
                + "--scan-report security/npm-audit.json"));
        assertSecondRunWritesNothing(repo, run);
    }

    @Test
    void nodeApiInstalledWithPnpm() {
        Path repo = Fixtures.pnpmApi(dir.resolve("orders"));
        CliRun run = init(repo);
        assertEquals(List.of(
                "layout: single component at the repository root",
                "component api: Node 22 in ., pnpm, port 8080, no Dockerfile",
                "variables: REDIS_URL"), detected(run.out()));
        assertEquals(List.of(COMPOSE, CI, CONFIG, "No vulnerability scan report (project has package.json)" + SCAN_HINT,
                "No Dockerfile for enabled component api (looked at apps/api/Dockerfile, services/api/Dockerfile, api/Dockerfile, "
                        + "Dockerfile (single-component repository)) (containers.dockerfile): add apps/api/Dockerfile or "
                        + "services/api/Dockerfile, or name it in the manifest (components.api.dockerfile)",
                CLIENT), missing(run.out()));
        // pnpm-lock.yaml is pnpm's lockfile: nothing missing about it.
        assertFalse(run.out().contains("deps.lockfile"), run.out());
        var manifest = validManifest(repo);
        assertEquals("pnpm run build", manifest.at("/components/api/build/command").asText());
        assertEquals("22", manifest.at("/components/api/version").asText());
        assertFalse(read(repo.resolve(".github/workflows/runway.yml")).contains("npm audit"), "no npm lockfile, no npm audit step");
        assertSecondRunWritesNothing(repo, run);
    }

    @Test
    void flutterApplication() {
        Path repo = Fixtures.flutter(dir.resolve("mobile"));
        CliRun run = init(repo);
        assertEquals(List.of(
                "layout: single component at the repository root",
                "component mobile: Flutter in ., platforms android, ios",
                "variables: none found"), detected(run.out()));
        assertEquals(List.of(COMPOSE, CI, CONFIG, "No vulnerability scan report (project has android/app/build.gradle, pubspec.yaml)" + SCAN_HINT,
                CLIENT), missing(run.out()));
        var manifest = validManifest(repo);
        assertEquals("shop-mobile", manifest.at("/project/name").asText());
        assertEquals("mobile", manifest.at("/project/type").asText());
        assertEquals("flutter build appbundle --release", manifest.at("/components/mobile/build/android").asText());
        assertSecondRunWritesNothing(repo, run);
    }

    @Test
    void forceReplacesChangedFilesAndPrintsTheirDiff() throws IOException {
        Path repo = Fixtures.nextjsPrisma(dir.resolve("storefront"));
        init(repo);
        Path manifest = repo.resolve("deploy.manifest.yaml");
        Files.writeString(manifest, read(manifest).replace("replicas: 2", "replicas: 3"));
        CliRun kept = init(repo);
        assertTrue(kept.out().contains("  = deploy.manifest.yaml (exists, left alone; --force replaces it)"), kept.out());
        assertTrue(read(manifest).contains("replicas: 3"), "never overwritten without --force");

        CliRun forced = CliRun.of("init", repo.toString(), "--force");
        assertEquals(0, forced.code(), forced.all());
        assertEquals(List.of("  ~ deploy.manifest.yaml (replaced)",
                "--- a/deploy.manifest.yaml",
                "+++ b/deploy.manifest.yaml",
                "@@ -20,7 +20,7 @@",
                "     build:",
                "       command: \"npm run build\"",
                "     deploy:",
                "-      replicas: 3",
                "+      replicas: 2",
                "       artifact: \"npm run start\"",
                " database:",
                "   type: \"postgresql\""), raw(forced.out(), "files").subList(0, 12));
        assertTrue(forced.out().contains("1 file written"), forced.out());
        assertTrue(read(manifest).contains("replicas: 2"));
    }

    @Test
    void outputDependsOnTheRepositoryOnly() {
        CliRun first = init(Fixtures.monorepo(dir.resolve("a/platform")));
        CliRun second = init(Fixtures.monorepo(dir.resolve("b/platform")));
        assertEquals(first.out().replace(dir.resolve("a").toString(), "X"), second.out().replace(dir.resolve("b").toString(), "X"));
        assertEquals(tree(dir.resolve("a/platform")), tree(dir.resolve("b/platform")));
    }

    @Test
    void aMissingDirectoryIsAUsageError() {
        CliRun run = CliRun.of("init", dir.resolve("nope").toString());
        assertEquals(2, run.code(), run.all());
        assertTrue(run.err().contains("no such directory"), run.err());
    }

    private static CliRun init(Path repo) {
        CliRun run = CliRun.of("init", repo.toString());
        assertEquals(0, run.code(), run.all());
        return run;
    }

    /** The manifest init wrote, read by the one bounded reader and valid against the schema. */
    private static JsonNode validManifest(Path repo) {
        ManifestReader reader = new ManifestReader();
        ManifestReader.Parsed parsed = reader.parse(read(repo.resolve("deploy.manifest.yaml")));
        assertTrue(parsed.ok(), parsed.error());
        ManifestReader.SchemaCheck check = reader.check(parsed.root());
        assertTrue(check.ok(), check.errors().toString());
        return parsed.root();
    }

    private static void assertSecondRunWritesNothing(Path repo, CliRun first) {
        Map<String, String> before = tree(repo);
        CliRun again = init(repo);
        assertTrue(again.out().contains("\nnothing written\n"), again.out());
        for (String f : WRITTEN) {
            assertTrue(again.out().contains("  = " + f + " (unchanged)"), again.out());
        }
        assertEquals(before, tree(repo));
        assertEquals(missing(first.out()), missing(again.out()));
    }

    /** The lines under the first line that starts with {@code heading} and ends with ':', as printed. */
    static List<String> raw(String out, String heading) {
        List<String> lines = new ArrayList<>();
        boolean in = false;
        for (String line : out.lines().toList()) {
            if (!in) {
                in = line.startsWith(heading) && line.endsWith(":");
            } else if (line.startsWith(" ") || line.startsWith("-") || line.startsWith("+") || line.startsWith("@")) {
                lines.add(line);
            } else {
                break;
            }
        }
        return lines;
    }

    static List<String> detected(String out) {
        return raw(out, "detected").stream().map(l -> l.substring(2)).toList();
    }

    static List<String> missing(String out) {
        return raw(out, "still missing (").stream().map(l -> l.substring(4)).toList();
    }

    private static Map<String, String> tree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            Map<String, String> result = new TreeMap<>();
            files.filter(Files::isRegularFile).filter(f -> !root.relativize(f).startsWith(".git"))
                    .forEach(f -> result.put(root.relativize(f).toString(), read(f)));
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}

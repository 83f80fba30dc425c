package dev.runway.cli.init;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What {@code runway init} learns from an existing repository, read from disk only: its files
 * (bounded walk, dependency and build folders skipped), components from package.json (Next.js when
 * it depends on {@code next}, Node otherwise) and pubspec.yaml (Flutter), Dockerfiles, a Prisma
 * schema, and the environment variables the code reads. Everything is sorted, so the same
 * repository always gives the same result.
 */
public final class RepositoryScan {

    /** Most files looked at; a repository beyond it is scanned partially and says so. */
    static final int MAX_FILES = 50_000;
    /** Largest source or manifest file read. */
    static final int MAX_BYTES = 1024 * 1024;
    private static final Set<String> SKIPPED_DIRS = Set.of(".git", "node_modules", ".next", "dist", "build", "out", "coverage",
            ".dart_tool", ".turbo", ".cache", "vendor", ".gradle", "Pods", ".runway");
    private static final Set<String> CODE_EXTENSIONS = Set.of(".js", ".ts", ".mjs", ".cjs", ".tsx", ".jsx");
    private static final Pattern PROCESS_ENV = Pattern.compile("process\\.env(?:\\.([A-Z][A-Z0-9_]*)|\\[\\s*['\"]([A-Z][A-Z0-9_]*)['\"]\\s*])");
    private static final Pattern ENV_LINE = Pattern.compile("^\\s*(?:export\\s+)?([A-Z][A-Z0-9_]*)\\s*=");
    /** Set by the runtime or by Runway's executor (PORT, VERSION, COLOR), not by the project's config. */
    private static final Set<String> PROVIDED = Set.of("NODE_ENV", "PORT", "HOSTNAME", "HOST", "CI", "TZ", "HOME", "PATH", "PWD",
            "NEXT_RUNTIME", "VERSION", "COLOR");
    private static final Pattern LISTEN_PORT = Pattern.compile("(?:PORT\\s*(?:\\|\\||\\?\\?)\\s*|listen\\(\\s*)['\"]?(\\d{2,5})\\b");
    private static final Pattern DNS_UNSAFE = Pattern.compile("[^a-z0-9-]+");
    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Kind {
        NEXTJS, NODE, FLUTTER
    }

    /**
     * One component: its name in the manifest, its folder ("" for the root), the Dockerfile found for
     * it (relative path) and what its package.json or pubspec.yaml says.
     */
    public record Component(String name, String dir, Kind kind, String dockerfile, String packageManager, String frameworkVersion,
            String nodeVersion, boolean hasBuildScript, boolean hasStartScript, int port, String healthcheck, boolean healthRouteFound,
            List<String> platforms) {

        public boolean mobile() {
            return kind == Kind.FLUTTER;
        }
    }

    /** Prisma's schema and what it declares. */
    public record Prisma(String schemaFile, String provider) {
    }

    private final Path root;
    private final List<String> files = new ArrayList<>();
    private boolean truncated;

    private RepositoryScan(Path root) {
        this.root = root;
    }

    /** Walks {@code root} once; everything else reads the list. */
    public static RepositoryScan of(Path root) {
        RepositoryScan scan = new RepositoryScan(root.toAbsolutePath().normalize());
        scan.walk();
        return scan;
    }

    private void walk() {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return !dir.equals(root) && SKIPPED_DIRS.contains(dir.getFileName().toString()) ? FileVisitResult.SKIP_SUBTREE
                            : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        if (files.size() >= MAX_FILES) {
                            truncated = true;
                            return FileVisitResult.TERMINATE;
                        }
                        files.add(root.relativize(file).toString().replace('\\', '/'));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.sort(null);
    }

    public Path root() {
        return root;
    }

    public List<String> files() {
        return files;
    }

    public boolean truncated() {
        return truncated;
    }

    public boolean isFile(String path) {
        return Collections.binarySearch(files, path) >= 0;
    }

    /** The project's name as a DNS label: package.json's or pubspec.yaml's name at the root, else the folder's. */
    public String projectName() {
        Optional<String> fromPackage = json("package.json").map(p -> p.path("name").asText("")).filter(s -> !s.isBlank());
        Optional<String> fromPubspec = text("pubspec.yaml").flatMap(RepositoryScan::pubspecName);
        String raw = fromPackage.or(() -> fromPubspec).orElse(root.getFileName() == null ? "project" : root.getFileName().toString());
        if (raw.startsWith("@") && raw.contains("/")) {
            raw = raw.substring(raw.indexOf('/') + 1);
        }
        return dnsLabel(raw, "project");
    }

    /**
     * Components: every folder under apps/ and services/ with a package.json or pubspec.yaml (the
     * SOP monorepo); otherwise the repository root as one component.
     */
    public List<Component> components() {
        List<Component> found = new ArrayList<>();
        SortedSet<String> monorepo = new TreeSet<>();
        for (String f : files) {
            String[] parts = f.split("/");
            if (parts.length == 3 && (parts[0].equals("apps") || parts[0].equals("services"))
                    && (parts[2].equals("package.json") || parts[2].equals("pubspec.yaml"))) {
                monorepo.add(parts[0] + "/" + parts[1]);
            }
        }
        for (String dir : monorepo) {
            component(dir.substring(dir.indexOf('/') + 1), dir).ifPresent(found::add);
        }
        if (found.isEmpty()) {
            component(null, "").ifPresent(found::add);
        }
        return found;
    }

    private Optional<Component> component(String folderName, String dir) {
        String prefix = dir.isEmpty() ? "" : dir + "/";
        if (isFile(prefix + "pubspec.yaml")) {
            List<String> platforms = new ArrayList<>();
            for (String p : List.of("android", "ios")) {
                if (files.stream().anyMatch(f -> f.startsWith(prefix + p + "/"))) {
                    platforms.add(p);
                }
            }
            if (platforms.isEmpty()) {
                platforms = List.of("android", "ios");
            }
            String name = folderName != null ? dnsLabel(folderName, "mobile") : "mobile";
            return Optional.of(new Component(name, dir, Kind.FLUTTER, null, null, null, null, false, false, 0, null, false, platforms));
        }
        Optional<JsonNode> pkg = json(prefix + "package.json");
        if (pkg.isEmpty()) {
            return Optional.empty();
        }
        JsonNode p = pkg.get();
        String next = dependency(p, "next");
        Kind kind = next != null ? Kind.NEXTJS : Kind.NODE;
        String name = folderName != null ? dnsLabel(folderName, kind == Kind.NEXTJS ? "web" : "api") : kind == Kind.NEXTJS ? "web" : "api";
        List<String> code = files.stream().filter(f -> f.startsWith(prefix) && isCode(f)).toList();
        int port = kind == Kind.NEXTJS ? 3000 : listenPort(code).orElse(3000);
        String health = kind == Kind.NEXTJS ? "/api/health" : "/health";
        boolean healthFound = kind == Kind.NEXTJS ? nextHealthRoute(prefix) : mentions(code, "/health");
        return Optional.of(new Component(name, dir, kind, dockerfile(prefix), packageManager(prefix, p), majorVersion(next),
                nodeVersion(prefix, p), p.path("scripts").has("build"), p.path("scripts").has("start"), port, health, healthFound,
                List.of()));
    }

    /** Dockerfile in the component's folder, else the first other Dockerfile under it (for the root: anywhere). */
    private String dockerfile(String prefix) {
        if (isFile(prefix + "Dockerfile")) {
            return prefix + "Dockerfile";
        }
        // A component at the root owns every Dockerfile of the repository; a monorepo component only those in its folder.
        return files.stream().filter(f -> f.startsWith(prefix) && isDockerfile(f)).findFirst().orElse(null);
    }

    static boolean isDockerfile(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.equals("Dockerfile") || name.startsWith("Dockerfile.") || name.endsWith(".Dockerfile");
    }

    /** The packageManager field (here or at the root), else the lockfile present, else npm. */
    private String packageManager(String prefix, JsonNode pkg) {
        for (JsonNode p : List.of(pkg, json("package.json").orElse(JSON.nullNode()))) {
            String declared = p.path("packageManager").asText("");
            for (String tool : List.of("pnpm", "yarn", "npm")) {
                if (declared.startsWith(tool + "@") || declared.equals(tool)) {
                    return tool;
                }
            }
        }
        for (String dir : prefix.isEmpty() ? List.of("") : List.of(prefix, "")) {
            if (isFile(dir + "pnpm-lock.yaml")) {
                return "pnpm";
            }
            if (isFile(dir + "yarn.lock")) {
                return "yarn";
            }
            if (isFile(dir + "package-lock.json")) {
                return "npm";
            }
        }
        return "npm";
    }

    private boolean nextHealthRoute(String prefix) {
        for (String base : List.of(prefix, prefix + "src/")) {
            for (String f : files) {
                if (f.startsWith(base + "app/api/health/route.") || f.startsWith(base + "pages/api/health.")
                        || f.startsWith(base + "pages/api/health/index.")) {
                    return true;
                }
            }
        }
        return false;
    }

    private String nodeVersion(String prefix, JsonNode pkg) {
        Matcher m = Pattern.compile("(\\d+)").matcher(pkg.path("engines").path("node").asText(""));
        if (m.find()) {
            return m.group(1);
        }
        for (String f : List.of(prefix + ".nvmrc", ".nvmrc", prefix + ".node-version", ".node-version")) {
            Optional<String> t = text(f);
            if (t.isPresent()) {
                Matcher v = Pattern.compile("(\\d+)").matcher(t.get());
                if (v.find()) {
                    return v.group(1);
                }
            }
        }
        return "20";
    }

    private static String dependency(JsonNode pkg, String name) {
        for (String section : List.of("dependencies", "devDependencies")) {
            JsonNode v = pkg.path(section).path(name);
            if (v.isTextual()) {
                return v.asText();
            }
        }
        return null;
    }

    private static String majorVersion(String range) {
        if (range == null) {
            return null;
        }
        Matcher m = Pattern.compile("(\\d+)").matcher(range);
        return m.find() ? m.group(1) + ".x" : null;
    }

    private Optional<Integer> listenPort(List<String> code) {
        for (String f : code) {
            Optional<String> t = text(f);
            if (t.isPresent()) {
                Matcher m = LISTEN_PORT.matcher(t.get());
                while (m.find()) {
                    int port = Integer.parseInt(m.group(1));
                    if (port >= 1 && port <= 65535) {
                        return Optional.of(port);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private boolean mentions(List<String> code, String needle) {
        return code.stream().anyMatch(f -> text(f).map(t -> t.contains("'" + needle + "'") || t.contains("\"" + needle + "\"")
                || t.contains("`" + needle + "`")).orElse(false));
    }

    /** prisma/schema.prisma at the root, or in a component's folder; its datasource provider. */
    public Optional<Prisma> prisma() {
        List<String> schemas = files.stream().filter(f -> f.equals("prisma/schema.prisma") || f.endsWith("/prisma/schema.prisma")).toList();
        if (schemas.isEmpty()) {
            return Optional.empty();
        }
        String file = schemas.contains("prisma/schema.prisma") ? "prisma/schema.prisma" : schemas.get(0);
        Matcher m = Pattern.compile("provider\\s*=\\s*\"([a-z]+)\"").matcher(datasource(text(file).orElse("")));
        return Optional.of(new Prisma(file, m.find() ? m.group(1) : null));
    }

    private static String datasource(String schema) {
        int at = schema.indexOf("datasource");
        if (at < 0) {
            return "";
        }
        int end = schema.indexOf('}', at);
        return end < 0 ? schema.substring(at) : schema.substring(at, end);
    }

    /** SQL migrations kept where the SOP puts them. */
    public boolean sqlMigrations() {
        return files.stream().anyMatch(f -> f.startsWith("database/migrations/") && f.endsWith(".sql"));
    }

    /**
     * Variables the code reads ({@code process.env.X}, {@code process.env["X"]} in .js/.ts/.mjs/.cjs/.tsx/.jsx)
     * and those listed in .env.example files; without what the runtime or Runway's executor sets.
     */
    public SortedSet<String> environmentVariables() {
        SortedSet<String> names = new TreeSet<>();
        for (String f : files) {
            String base = f.substring(f.lastIndexOf('/') + 1);
            if (isCode(f)) {
                text(f).ifPresent(t -> {
                    Matcher m = PROCESS_ENV.matcher(t);
                    while (m.find()) {
                        names.add(m.group(1) != null ? m.group(1) : m.group(2));
                    }
                });
            } else if (base.equals(".env.example") || base.equals(".env.sample") || base.equals(".env.template")) {
                text(f).ifPresent(t -> t.lines().forEach(line -> {
                    Matcher m = ENV_LINE.matcher(line);
                    if (m.find()) {
                        names.add(m.group(1));
                    }
                }));
            }
        }
        names.removeIf(n -> PROVIDED.contains(n) || n.startsWith("RUNWAY_") || n.startsWith("npm_"));
        return names;
    }

    private static boolean isCode(String path) {
        int dot = path.lastIndexOf('.');
        return dot > path.lastIndexOf('/') && CODE_EXTENSIONS.contains(path.substring(dot).toLowerCase(Locale.ROOT))
                && !path.endsWith(".d.ts");
    }

    Optional<String> text(String path) {
        if (!isFile(path)) {
            return Optional.empty();
        }
        Path file = root.resolve(path);
        try {
            if (Files.size(file) > MAX_BYTES) {
                return Optional.empty();
            }
            return Optional.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    Optional<JsonNode> json(String path) {
        return text(path).flatMap(t -> {
            try {
                JsonNode node = JSON.readTree(t);
                return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            }
        });
    }

    private static Optional<String> pubspecName(String pubspec) {
        Matcher m = Pattern.compile("(?m)^name:\\s*['\"]?([A-Za-z0-9_]+)").matcher(pubspec);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** Lower-case, '-' for anything else, trimmed to 63 characters; {@code fallback} when nothing is left. */
    static String dnsLabel(String raw, String fallback) {
        String s = DNS_UNSAFE.matcher(raw.toLowerCase(Locale.ROOT)).replaceAll("-").replaceAll("-+", "-");
        s = s.replaceAll("^-+", "").replaceAll("-+$", "");
        if (s.length() > 63) {
            s = s.substring(0, 63).replaceAll("-+$", "");
        }
        return s.isEmpty() ? fallback : s;
    }
}

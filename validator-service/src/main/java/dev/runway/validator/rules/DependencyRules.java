package dev.runway.validator.rules;

import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.runway.validator.source.FileTooLargeException;

/**
 * Phase 5: lockfiles, and a vulnerability scan report with nothing above Low. A project that has
 * dependencies or containers and no report fails: a missing report is not a clean one.
 */
final class DependencyRules implements Validator.PhaseRules {

    static final String ATTACHED = "(attached scan report)";
    static final String REPORT_DIR = "security/";
    private static final Set<String> DEPENDENCY_FILES = Set.of("package.json", "pubspec.yaml", "pom.xml", "build.gradle",
            "build.gradle.kts", "go.mod", "requirements.txt", "pyproject.toml", "Cargo.toml", "Gemfile", "composer.json", "Dockerfile");

    @Override
    public void apply(ValidationContext ctx) {
        lockfiles(ctx);
        vulnerabilities(ctx);
    }

    private static void lockfiles(ValidationContext ctx) {
        boolean any = false;
        for (String path : ctx.source.files()) {
            if (path.contains("node_modules/")) {
                continue;
            }
            String name = baseName(path);
            String dir = path.substring(0, path.length() - name.length());
            if (name.equals("package.json")) {
                any = true;
                nodeLock(ctx, path, dir);
            } else if (name.equals("pubspec.yaml")) {
                any = true;
                if (ctx.source.isFile(dir + "pubspec.lock")) {
                    ctx.pass(Rule.LOCKFILE, dir + "pubspec.lock", "pubspec.lock exists for " + path);
                } else {
                    ctx.fail(Rule.LOCKFILE, path, "pubspec.lock missing for " + path, "run 'flutter pub get' and commit pubspec.lock");
                }
            }
        }
        if (!any) {
            ctx.skip(Rule.LOCKFILE, null, "No package.json or pubspec.yaml");
        }
    }

    /** The package manager's own lockfile, beside package.json or in a parent (workspaces lock at their root). */
    private static void nodeLock(ValidationContext ctx, String path, String dir) {
        PackageManagers.Manager manager = PackageManagers.of(ctx, dir);
        Optional<String> lock = PackageManagers.lockfile(ctx, dir, manager.name());
        if (lock.isPresent()) {
            ctx.pass(Rule.LOCKFILE, lock.get(), "Lockfile exists for " + path + ": " + lock.get() + " (" + manager.describe() + ")");
        } else if (manager.name() == PackageManagers.Name.NPM) {
            // The SOP's own wording (000-6.1 phase 5) for the SOP's package manager.
            ctx.fail(Rule.LOCKFILE, path, "package-lock.json missing for " + path, "run 'npm install' and commit package-lock.json");
        } else {
            String file = manager.name().lockfiles().get(0);
            ctx.fail(Rule.LOCKFILE, path, file + " missing for " + path + " (" + manager.describe() + ")",
                    "run '" + manager.name().command() + " install' and commit " + file);
        }
    }

    private static void vulnerabilities(ValidationContext ctx) {
        Map<String, String> reports = new LinkedHashMap<>();
        if (ctx.request.scanReport() != null && !ctx.request.scanReport().isBlank()) {
            reports.put(ATTACHED, ctx.request.scanReport());
        }
        for (String path : ctx.source.files()) {
            if (path.startsWith(REPORT_DIR) && path.indexOf('/', REPORT_DIR.length()) < 0 && path.endsWith(".json")) {
                try {
                    ctx.text(path, ScanReports.MAX_BYTES).ifPresent(text -> reports.put(path, text));
                } catch (FileTooLargeException e) {
                    ctx.fail(Rule.SCAN_REPORT, path, "Scan report too large to read (" + e.size() + " bytes)", null);
                } catch (CharacterCodingException e) {
                    ctx.fail(Rule.SCAN_REPORT, path, "Scan report is not UTF-8 text", null);
                }
            }
        }
        List<String> needing = ctx.source.files().stream()
                .filter(p -> DEPENDENCY_FILES.contains(baseName(p)) && !p.contains("node_modules/")).limit(3).toList();
        if (reports.isEmpty()) {
            if (needing.isEmpty()) {
                ctx.skip(Rule.SCAN_REPORT, null, "No dependencies or containers to scan");
                ctx.skip(Rule.VULNERABILITIES, null, "No dependencies or containers to scan");
            } else {
                ctx.fail(Rule.SCAN_REPORT, null, "No vulnerability scan report (project has " + String.join(", ", needing) + ")",
                        "attach npm audit --json, trivy --format json or osv-scanner --format json output to the request, "
                                + "or commit it under security/");
                ctx.skip(Rule.VULNERABILITIES, null, "Not checked: no scan report");
            }
            return;
        }
        List<ScanReports.Finding> blocking = new ArrayList<>();
        int low = 0;
        int read = 0;
        for (Map.Entry<String, String> report : reports.entrySet()) {
            try {
                ScanReports.Scan scan = ScanReports.parse(report.getValue());
                read++;
                ctx.pass(Rule.SCAN_REPORT, report.getKey(), scan.format() + " report read: " + scan.findings().size() + " findings");
                for (ScanReports.Finding f : scan.findings()) {
                    if (f.level().blocks()) {
                        blocking.add(f);
                    } else if (f.level() == ScanReports.Level.LOW) {
                        low++;
                    }
                }
            } catch (ScanReports.UnreadableReport e) {
                ctx.fail(Rule.SCAN_REPORT, report.getKey(), "Scan report unreadable: " + e.getMessage(),
                        "use npm audit --json, trivy --format json or osv-scanner --format json");
            }
        }
        if (read == 0) {
            ctx.skip(Rule.VULNERABILITIES, null, "Not checked: no readable scan report");
        } else if (blocking.isEmpty()) {
            ctx.pass(Rule.VULNERABILITIES, null, "No vulnerabilities above Low (" + low + " low)");
        } else {
            ctx.fail(Rule.VULNERABILITIES, null, blocking.size() + " vulnerabilities above Low: "
                    + String.join(", ", blocking.stream().limit(5).map(Object::toString).toList()) + (blocking.size() > 5 ? ", ..." : ""),
                    "upgrade or patch the packages (e.g. 'npm audit fix'), rebuild images, and scan again");
        }
    }

    static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    @Override
    public Rule backstop() {
        return Rule.SCAN_REPORT;
    }
}

package dev.runway.cli.commands;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import dev.runway.cli.Context;
import dev.runway.cli.UsageException;
import dev.runway.cli.init.InitPlan;
import dev.runway.cli.init.RepositoryScan;
import dev.runway.cli.init.UnifiedDiff;
import dev.runway.events.Environment;
import dev.runway.validator.rules.Check;
import dev.runway.validator.rules.Report;
import dev.runway.validator.rules.ValidationRequest;
import dev.runway.validator.rules.Validator;
import dev.runway.validator.source.SourceUnavailableException;
import dev.runway.validator.source.WorkingDirectorySource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runway init [dir]}: writes what the SOP asks of a repository (sop.md 000-4.2, 000-5) from
 * what the repository shows, never over an existing file unless {@code --force} (which prints the
 * diff), then validates the folder and lists what is still missing and why. The output depends on
 * the repository only.
 */
@Command(name = "init", description = "Writes deploy.manifest.yaml, DEPLOYMENT.md, config/<env>.env.example, scripts/deploy.sh, "
        + "scripts/rollback.sh and .github/workflows/runway.yml for an existing repository, then validates it.")
public class InitCommand implements Callable<Integer> {

    /** Checks about the deployment request or the commit, not the repository's files: answered at deploy time. */
    static final Set<String> AT_DEPLOY_TIME = Set.of("tests.ci-evidence", "code.uncommitted-changes", "code.version-tag",
            "code.commit-on-branch", "code.production-from-main");

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "The repository (default: the current directory).")
    Path directory = Path.of(".");

    @Option(names = "--force", description = "Replace files that exist, printing a unified diff of each change.")
    boolean force;

    @Option(names = { "-e", "--env" }, paramLabel = "ENV", description = "Environment the closing validation checks (default: staging).")
    String environment = "staging";

    private final Context ctx;

    public InitCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
        ctx.applyRootColor();
        Environment env = environment(environment);
        Path root = directory.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new UsageException("no such directory: " + directory);
        }
        PrintStream out = ctx.console().out();
        RepositoryScan scan = RepositoryScan.of(root);
        InitPlan plan = InitPlan.of(scan);
        out.println("runway init " + directory);
        out.println("detected:");
        plan.detected().forEach(l -> out.println("  " + l));
        out.println("files:");
        int written = 0;
        for (Map.Entry<String, String> file : plan.files().entrySet()) {
            written += write(root, file.getKey(), file.getValue(), out) ? 1 : 0;
        }
        out.println(written == 0 ? "nothing written" : written + (written == 1 ? " file written" : " files written"));
        validate(root, env, plan, out);
        return 0;
    }

    /** Writes one file unless it exists (or, with --force, replaces it when it differs); says what it did. */
    private boolean write(Path root, String path, String content, PrintStream out) throws IOException {
        Path target = root.resolve(path);
        if (Files.exists(target)) {
            String existing = Files.isRegularFile(target) ? Files.readString(target, StandardCharsets.UTF_8) : null;
            if (content.equals(existing)) {
                out.println("  = " + path + " (unchanged)");
                return false;
            }
            if (!force || existing == null) {
                out.println("  = " + path + " (exists, left alone" + (existing == null ? ": not a regular file)" : "; --force replaces it)"));
                return false;
            }
            out.println("  ~ " + path + " (replaced)");
            out.print(UnifiedDiff.of(path, existing, content));
        } else {
            out.println("  + " + path);
        }
        Files.createDirectories(target.getParent());
        Files.writeString(target, content, StandardCharsets.UTF_8);
        if (path.endsWith(".sh")) {
            executable(target);
        }
        return true;
    }

    private static void executable(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the scripts run with `bash scripts/deploy.sh`.
        }
    }

    /** The validator's eight phases on the folder as it now is; errors listed as what is still missing. */
    private void validate(Path root, Environment env, InitPlan plan, PrintStream out) {
        String name = env.name().toLowerCase(Locale.ROOT);
        Report report;
        try (WorkingDirectorySource source = WorkingDirectorySource.open(root)) {
            report = new Validator().validate(source, ValidationRequest.of(env));
        } catch (SourceUnavailableException e) {
            out.println("validation (" + name + "): the folder cannot be read: " + e.getMessage());
            return;
        }
        List<Check> missing = report.checks().stream().filter(c -> (c.isError() || c.isWarning()) && !AT_DEPLOY_TIME.contains(c.ruleId())).toList();
        List<Check> atDeploy = report.checks().stream().filter(c -> (c.isError() || c.isWarning()) && AT_DEPLOY_TIME.contains(c.ruleId())).toList();
        out.println("validation (" + name + ", runway validate " + directory + " -e " + name + "): " + report.errors() + " errors, "
                + report.warnings() + " warnings");
        List<String> notes = plan.notes();
        if (missing.isEmpty() && notes.isEmpty()) {
            out.println("nothing missing");
        } else {
            out.println("still missing (" + (missing.size() + notes.size()) + "):");
            for (Check c : missing) {
                out.println("  - " + (c.isWarning() ? "[warning] " : "") + c.message() + " (" + c.ruleId() + ")"
                        + (c.hint() == null ? "" : ": " + c.hint()));
            }
            notes.forEach(n -> out.println("  - " + n));
        }
        if (!atDeploy.isEmpty()) {
            out.println("at deploy time (the request and the commit, not the files):");
            atDeploy.forEach(c -> out.println("  - " + c.message() + " (" + c.ruleId() + ")" + (c.hint() == null ? "" : ": " + c.hint())));
        }
    }

    private static Environment environment(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "development", "dev" -> Environment.DEVELOPMENT;
            case "staging" -> Environment.STAGING;
            case "uat" -> Environment.UAT;
            case "production", "prod" -> Environment.PRODUCTION;
            default -> throw new UsageException("unknown environment '" + name + "' (development, staging, uat, production)");
        };
    }
}

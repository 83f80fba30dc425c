package dev.runway.validator.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.runway.events.Environment;
import dev.runway.events.Strategy;
import dev.runway.validator.rules.Report;
import dev.runway.validator.rules.ValidationRequest;
import dev.runway.validator.rules.Validator;
import dev.runway.validator.source.SourceUnavailableException;
import dev.runway.validator.source.WorkingDirectorySource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code runway validate <dir> --env staging}: the service's rules engine on a working directory,
 * printed like the SOP's validation script. Exit 1 when an error blocks, 0 otherwise, 2 on bad usage.
 * A plain picocli command so the {@code runway} CLI can mount it as a subcommand.
 */
@Command(name = "validate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs the pre-deployment validation (sop.md 000-6.1) on a project directory.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = { "0:PASSED or PASSED WITH WARNINGS", "1:FAILED (errors block the deployment)", "2:usage error" })
public class ValidateCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<dir>", description = "Project directory (a git work tree or a folder inside one).")
    Path directory;

    @Option(names = { "-e", "--env" }, required = true, paramLabel = "<env>",
            description = "Target environment: development, staging, uat or production.")
    String environment;

    @Option(names = "--release", paramLabel = "<version>", description = "Version being released; its tag (1.2.3 or v1.2.3) must point at HEAD.")
    String release;

    @Option(names = "--ci-evidence", paramLabel = "<ref>", description = "Reference of the passed CI run (URL or id).")
    String ciEvidence;

    @Option(names = "--scan-report", paramLabel = "<file>", description = "Vulnerability scan report (npm audit, Trivy or OSV JSON).")
    Path scanReport;

    @Option(names = "--strategy", paramLabel = "<strategy>", description = "blue-green, canary or rolling (default: the manifest's).")
    String strategy;

    @Option(names = { "-c", "--components" }, split = ",", paramLabel = "<name>", description = "Components to deploy (default: all).")
    List<String> components;

    @Option(names = "--color", negatable = true, description = "Colour output (default: when writing to a terminal).")
    Boolean color;

    private final Validator validator;

    public ValidateCommand() {
        this(new Validator());
    }

    public ValidateCommand(Validator validator) {
        this.validator = validator;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Environment env = parseEnvironment(environment);
        Strategy chosen = strategy == null ? null : parseStrategy(strategy);
        String report = null;
        if (scanReport != null) {
            if (!Files.isRegularFile(scanReport)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no scan report at " + scanReport);
            }
            report = Files.readString(scanReport, StandardCharsets.UTF_8);
        }
        ValidationRequest request = new ValidationRequest(env, release, chosen, components, null, ciEvidence, report);
        try (WorkingDirectorySource source = WorkingDirectorySource.open(directory)) {
            Report result = validator.validate(source, request);
            new ReportPrinter(color != null ? color : System.console() != null).print(result, environment.toLowerCase(Locale.ROOT), out);
            return result.errors() > 0 ? 1 : 0;
        } catch (SourceUnavailableException e) {
            Report result = Validator.unreadable(e.getMessage(), Duration.ZERO);
            new ReportPrinter(false).print(result, environment, out);
            err.println(e.getMessage());
            return 1;
        }
    }

    private Environment parseEnvironment(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "development", "dev" -> Environment.DEVELOPMENT;
            case "staging" -> Environment.STAGING;
            case "uat" -> Environment.UAT;
            case "production", "prod" -> Environment.PRODUCTION;
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "unknown environment '" + name + "' (development, staging, uat, production)");
        };
    }

    private Strategy parseStrategy(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "blue-green" -> Strategy.BLUE_GREEN;
            case "canary" -> Strategy.CANARY;
            case "rolling" -> Strategy.ROLLING;
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "unknown strategy '" + name + "' (blue-green, canary, rolling)");
        };
    }

    /** Runs the command and returns its exit code (for embedding and tests). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new ValidateCommand());
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ValidateCommand()).execute(args));
    }
}

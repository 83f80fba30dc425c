package dev.runway.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.runway.cli.api.ApiException;
import dev.runway.cli.api.UnreachableException;
import dev.runway.cli.commands.ApproveCommand;
import dev.runway.cli.commands.DeployCommand;
import dev.runway.cli.commands.InitCommand;
import dev.runway.cli.commands.LogsCommand;
import dev.runway.cli.commands.RollbackCommand;
import dev.runway.cli.commands.StatusCommand;
import dev.runway.cli.commands.ValidateCli;
import dev.runway.cli.console.Console;
import dev.runway.cli.console.RedactingOutputStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code runway}: deploy, roll back, approve and follow deployments through the orchestrator's
 * API, and validate a project locally. {@link #run} is the whole CLI as a function (arguments,
 * streams, environment in; exit code out), so tests and the end-to-end module call it in-process.
 */
@Command(name = "runway", version = "runway 0.1.0", usageHelpAutoWidth = true,
        description = "Runway: deployments that validate, queue, watch their health and roll themselves back.",
        subcommands = { CommandLine.HelpCommand.class },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = { "0:success (deployment accepted without --wait, or SUCCEEDED)",
                "1:the deployment ended FAILED, ROLLED_BACK or CANCELLED (validate: errors block)", "2:usage error",
                "3:the deployment ended NEEDS_ATTENTION", "4:timed out while waiting", "5:the API refused the request (4xx)",
                "6:the orchestrator is unreachable or failed (5xx)", "7:unexpected error in the CLI" })
public final class RunwayCli implements Runnable {

    /** An unexpected failure inside the CLI (a bug): reported, never a stack trace with secrets. */
    public static final int INTERNAL_ERROR = 7;

    @Mixin
    GlobalOptions global;

    @CommandLine.Option(names = { "-V", "--cli-version" }, versionHelp = true, description = "Print the CLI's version and exit.")
    boolean versionRequested;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    RunwayCli(Context ctx) {
        this.global = ctx.rootOptions();
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: deploy, rollback, approve, status, logs, validate, init");
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err, System.getenv(), System.console() != null);
        System.exit(code);
    }

    /** The CLI as a function; nothing goes to a terminal (no TTY: no colour, periodic progress lines). */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        return run(args, out, err, env, false);
    }

    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, boolean tty) {
        List<String> secrets = secrets(args, env);
        PrintStream safeOut = new PrintStream(new RedactingOutputStream(out, secrets), true, StandardCharsets.UTF_8);
        PrintStream safeErr = new PrintStream(new RedactingOutputStream(err, secrets), true, StandardCharsets.UTF_8);
        Context ctx = new Context(new Console(safeOut, safeErr, env, tty), Clock.systemUTC());
        CommandLine cli = commandLine(ctx);
        try {
            return cli.execute(args);
        } finally {
            safeOut.flush();
            safeErr.flush();
        }
    }

    static CommandLine commandLine(Context ctx) {
        CommandLine cli = new CommandLine(new RunwayCli(ctx));
        cli.addSubcommand(new DeployCommand(ctx));
        cli.addSubcommand(new RollbackCommand(ctx));
        cli.addSubcommand(new ApproveCommand(ctx));
        cli.addSubcommand(new StatusCommand(ctx));
        cli.addSubcommand(new LogsCommand(ctx));
        cli.addSubcommand(new ValidateCli(ctx));
        cli.addSubcommand(new InitCommand(ctx));
        cli.setOut(ctx.console().outWriter());
        cli.setErr(ctx.console().errWriter());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        // Errors go to the CLI's (redacting) error stream whichever command failed.
        cli.setParameterExceptionHandler((ex, args) -> {
            var errOut = ctx.console().errWriter();
            errOut.println("error: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, errOut);
            errOut.println("usage: " + ex.getCommandLine().getHelp().synopsis(0).strip());
            errOut.println("see: " + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help");
            errOut.flush();
            return ExitCodes.USAGE;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            var errOut = ctx.console().errWriter();
            int code;
            if (ex instanceof UsageException) {
                errOut.println("error: " + ex.getMessage());
                errOut.println("see: " + commandLine.getCommandSpec().qualifiedName() + " --help");
                code = ExitCodes.USAGE;
            } else if (ex instanceof ApiException api) {
                api.describe().forEach(errOut::println);
                code = api.exitCode();
            } else if (ex instanceof UnreachableException) {
                errOut.println("error: " + ex.getMessage());
                errOut.println("hint: is the orchestrator running (./runway up)? Set its URL with --url or RUNWAY_URL.");
                code = ExitCodes.UNAVAILABLE;
            } else if (ex instanceof InterruptedException) {
                errOut.println("interrupted");
                code = ExitCodes.TIMEOUT;
            } else {
                errOut.println("error: unexpected " + ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage()));
                code = INTERNAL_ERROR;
            }
            errOut.flush();
            return code;
        });
        return cli;
    }

    /** The token as given on the command line or in the environment: masked in all output. */
    static List<String> secrets(String[] args, Map<String, String> env) {
        List<String> secrets = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--token") && i + 1 < args.length) {
                secrets.add(args[i + 1]);
            } else if (args[i].startsWith("--token=")) {
                secrets.add(args[i].substring("--token=".length()));
            }
        }
        if (env.get("RUNWAY_TOKEN") != null) {
            secrets.add(env.get("RUNWAY_TOKEN"));
        }
        return secrets;
    }
}

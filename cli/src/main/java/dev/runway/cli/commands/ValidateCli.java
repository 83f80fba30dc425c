package dev.runway.cli.commands;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.runway.cli.Context;
import dev.runway.validator.cli.ValidateCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code runway validate <dir> -e env}: the validator-service's own command, run in-process on
 * its plain-Java rules engine, so output, options and exit codes (0 passed, 1 errors block,
 * 2 usage) are exactly those of validator-service/bin/runway-validate.
 */
@Command(name = "validate", description = "Runs the pre-deployment validation (sop.md 000-6.1) on a project folder (runway validate --help).")
public class ValidateCli implements Callable<Integer> {

    @Unmatched
    List<String> args = new ArrayList<>();

    private final Context ctx;

    public ValidateCli(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        ctx.applyRootColor();
        List<String> forwarded = new ArrayList<>();
        boolean colorChosen = false;
        for (String a : args) {
            if (a.equals("--no-color") || a.equals("--color")) {
                colorChosen = true;
            }
            forwarded.add(a);
        }
        if (!colorChosen) {
            // The validator guesses colour from System.console(); the CLI knows where it writes.
            forwarded.add(ctx.console().color() ? "--color" : "--no-color");
        }
        PrintWriter out = ctx.console().outWriter();
        PrintWriter err = ctx.console().errWriter();
        int code = ValidateCommand.run(out, err, forwarded.toArray(String[]::new));
        out.flush();
        err.flush();
        return code;
    }
}

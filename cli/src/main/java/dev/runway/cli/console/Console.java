package dev.runway.cli.console;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Where a command writes, whether that is a terminal, and whether it may use colour. */
public final class Console {

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final boolean tty;
    private boolean color;

    public Console(PrintStream out, PrintStream err, Map<String, String> env, boolean tty) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.tty = tty;
        // https://no-color.org: any non-empty NO_COLOR turns colour off; so does a non-terminal.
        this.color = tty && (env.get("NO_COLOR") == null || env.get("NO_COLOR").isEmpty()) && !"dumb".equals(env.get("TERM"));
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public Map<String, String> env() {
        return env;
    }

    public boolean tty() {
        return tty;
    }

    public boolean color() {
        return color;
    }

    public void disableColor() {
        color = false;
    }

    public PrintWriter outWriter() {
        return new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    }

    public PrintWriter errWriter() {
        return new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    }

    public Style style() {
        return new Style(color);
    }
}

package dev.runway.demo;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The demo's output, in {@code ./runway}'s style ({@code say}, {@code warn}, {@code die}). Always UTF-8: Java 17
 * would otherwise print the arrows and rules as '?' under a POSIX locale, where bash printed them as they are.
 */
final class Console {

    static final PrintStream OUT = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    static final PrintStream ERR = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);

    private Console() {
    }

    static void say(String message) {
        OUT.println("\033[1;34mrunway\033[0m " + message);
    }

    static void warn(String message) {
        OUT.flush();
        ERR.println("\033[1;33mrunway\033[0m " + message);
    }

    static void section(String title) {
        OUT.printf("%n\033[1m━━ %s\033[0m%n", title);
    }

    static void line(String text) {
        OUT.println(text);
    }

    static void printf(String format, Object... args) {
        OUT.printf(format, args);
    }

    /** Before a child process writes to the same terminal: what this program printed comes first. */
    static void flush() {
        OUT.flush();
        ERR.flush();
    }

    /** The demo cannot go on: {@code main} prints the reason in red and exits 1. */
    static DemoFailure die(String message) {
        return new DemoFailure(message, null);
    }

    static DemoFailure die(String message, Throwable cause) {
        return new DemoFailure(message, cause);
    }

    static final class DemoFailure extends RuntimeException {
        DemoFailure(String message, Throwable cause) {
            super(message, cause);
        }

        void print() {
            flush();
            String because = getCause() == null ? "" : ": " + getCause();
            ERR.println("\033[1;31mrunway\033[0m " + getMessage() + because);
        }
    }
}

package dev.runway.cli.console;

/** ANSI colours, or nothing when colour is off. */
public record Style(boolean color) {

    public String red(String s) {
        return paint("\033[0;31m", s);
    }

    public String green(String s) {
        return paint("\033[0;32m", s);
    }

    public String yellow(String s) {
        return paint("\033[0;33m", s);
    }

    public String blue(String s) {
        return paint("\033[0;34m", s);
    }

    public String dim(String s) {
        return paint("\033[2m", s);
    }

    public String bold(String s) {
        return paint("\033[1m", s);
    }

    private String paint(String code, String s) {
        return color ? code + s + "\033[0m" : s;
    }
}

package dev.runway.executor.host;

import java.util.ArrayList;
import java.util.List;

/**
 * A host artifact ({@code deploy.artifact}) as the program and arguments it starts, without a
 * shell (issue 15): words are split on whitespace; {@code '…'} keeps its text as it is,
 * {@code "…"} too except that {@code \"} and {@code \\} stand for {@code "} and {@code \}; outside
 * quotes a backslash keeps the next character. There is no expansion, globbing, redirection or
 * chaining: an unquoted {@code $ ` | ; & < > ( )} is refused, so a command that needs a shell says
 * so itself ({@code sh -c '…'}) instead of Runway guessing.
 */
final class Argv {

    private static final String SHELL_ONLY = "$`|;&<>()";

    private Argv() {
    }

    static List<String> split(String artifact) {
        if (artifact == null || artifact.isBlank()) {
            throw new IllegalArgumentException("the artifact is empty");
        }
        if (artifact.indexOf('\0') >= 0 || artifact.indexOf('\n') >= 0 || artifact.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("the artifact contains a NUL or a line break");
        }
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < artifact.length()) {
            char c = artifact.charAt(i);
            if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '\'') {
                int end = artifact.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed ' at character " + (i + 1));
                }
                word.append(artifact, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i = doubleQuoted(artifact, i + 1, word);
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= artifact.length()) {
                    throw new IllegalArgumentException("the artifact ends with a backslash");
                }
                word.append(artifact.charAt(i + 1));
                inWord = true;
                i += 2;
            } else if (SHELL_ONLY.indexOf(c) >= 0) {
                throw new IllegalArgumentException("'" + c + "' at character " + (i + 1) + " needs a shell, and the artifact runs"
                        + " without one: quote it, or write the shell explicitly (sh -c '…')");
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Appends a double-quoted part starting after its opening quote; returns the index after its closing one. */
    private static int doubleQuoted(String s, int from, StringBuilder word) {
        int i = from;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == '"' || s.charAt(i + 1) == '\\')) {
                word.append(s.charAt(i + 1));
                i += 2;
            } else {
                word.append(c);
                i++;
            }
        }
        throw new IllegalArgumentException("unclosed \" at character " + from);
    }
}

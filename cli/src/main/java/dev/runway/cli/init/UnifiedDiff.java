package dev.runway.cli.init;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff (three lines of context) of two small texts, as {@code diff -u} prints it, for
 * {@code runway init --force}. Line-based longest common subsequence; texts past
 * {@link #MAX_CELLS} line pairs are shown as removed and added whole.
 */
public final class UnifiedDiff {

    static final int CONTEXT = 3;
    static final long MAX_CELLS = 4_000_000L;

    private record Line(char op, String text, int oldNo, int newNo) {
    }

    private UnifiedDiff() {
    }

    public static String of(String path, String before, String after) {
        List<String> a = before.lines().toList();
        List<String> b = after.lines().toList();
        List<Line> script = script(a, b);
        StringBuilder out = new StringBuilder();
        out.append("--- a/").append(path).append('\n').append("+++ b/").append(path).append('\n');
        int i = 0;
        while (i < script.size()) {
            if (script.get(i).op() == ' ') {
                i++;
                continue;
            }
            int start = Math.max(0, i - CONTEXT);
            int end = i;
            // Extend the hunk while changes are closer than twice the context.
            int lastChange = i;
            while (end < script.size()) {
                if (script.get(end).op() != ' ') {
                    lastChange = end;
                } else if (end - lastChange > 2 * CONTEXT) {
                    break;
                }
                end++;
            }
            end = Math.min(script.size(), lastChange + CONTEXT + 1);
            hunk(out, script.subList(start, end));
            i = end;
        }
        return out.toString();
    }

    private static void hunk(StringBuilder out, List<Line> lines) {
        int oldStart = 0;
        int newStart = 0;
        int oldCount = 0;
        int newCount = 0;
        for (Line l : lines) {
            if (l.op() != '+') {
                oldCount++;
                if (oldStart == 0) {
                    oldStart = l.oldNo();
                }
            }
            if (l.op() != '-') {
                newCount++;
                if (newStart == 0) {
                    newStart = l.newNo();
                }
            }
        }
        out.append("@@ -").append(range(oldStart, oldCount, lines, true)).append(" +").append(range(newStart, newCount, lines, false))
                .append(" @@\n");
        for (Line l : lines) {
            out.append(l.op()).append(l.text()).append('\n');
        }
    }

    /** diff -u's range: "start,count", and for an empty side the line before it. */
    private static String range(int start, int count, List<Line> lines, boolean old) {
        if (count == 0) {
            Line first = lines.get(0);
            return (old ? first.oldNo() : first.newNo()) - 1 + ",0";
        }
        return count == 1 ? String.valueOf(start) : start + "," + count;
    }

    private static List<Line> script(List<String> a, List<String> b) {
        List<Line> out = new ArrayList<>();
        if ((long) a.size() * b.size() > MAX_CELLS) {
            for (int i = 0; i < a.size(); i++) {
                out.add(new Line('-', a.get(i), i + 1, 1));
            }
            for (int j = 0; j < b.size(); j++) {
                out.add(new Line('+', b.get(j), a.size() + 1, j + 1));
            }
            return out;
        }
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                out.add(new Line(' ', a.get(i), i + 1, j + 1));
                i++;
                j++;
            } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
                out.add(new Line('-', a.get(i), i + 1, j + 1));
                i++;
            } else {
                out.add(new Line('+', b.get(j), i + 1, j + 1));
                j++;
            }
        }
        return out;
    }
}

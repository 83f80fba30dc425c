package dev.runway.executor.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** deploy.artifact → argv without a shell (issue 15). */
class ArgvTest {

    @Test
    void shouldSplitOnWhitespaceAndKeepQuotedTextAsItIs() {
        assertEquals(List.of("java", "-Xmx48m", "apps/web/DemoApp.java", "--name", "demo-shop"),
                Argv.split("java -Xmx48m  apps/web/DemoApp.java\t--name demo-shop"));
        assertEquals(List.of("env", "ERROR_RATE=0.5", "java", "App.java"), Argv.split("env ERROR_RATE=0.5 java App.java"));
        assertEquals(List.of("sh", "-c", "exec java -jar app.jar --port \"$PORT\""),
                Argv.split("sh -c 'exec java -jar app.jar --port \"$PORT\"'"), "a shell only when the manifest writes one");
        assertEquals(List.of("echo", "a \"b\" \\ $c"), Argv.split("echo \"a \\\"b\\\" \\\\ $c\""));
        assertEquals(List.of("a b", "c'd", ""), Argv.split("a\\ b c\\'d ''"));
        assertEquals(List.of("java", "-cp", "lib/*", "Main"), Argv.split("java -cp lib/* Main"), "Java expands its own class path wildcard");
    }

    @Test
    void shouldRefuseWhatOnlyAShellWouldDo() {
        for (String artifact : List.of("java -jar app.jar --port $PORT", "a; rm -rf /", "a && b", "a | b", "a > out", "`id`", "a &",
                "$(id)")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Argv.split(artifact), artifact);
            assertTrue(e.getMessage().contains("needs a shell"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Argv.split("echo 'open"));
        assertThrows(IllegalArgumentException.class, () -> Argv.split("echo \"open"));
        assertThrows(IllegalArgumentException.class, () -> Argv.split("echo \\"));
        assertThrows(IllegalArgumentException.class, () -> Argv.split("a\nb"));
        assertThrows(IllegalArgumentException.class, () -> Argv.split("  "));
    }
}

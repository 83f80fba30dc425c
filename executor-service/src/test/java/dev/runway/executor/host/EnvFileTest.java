package dev.runway.executor.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** config/<env>.env as a release gets it (issue 15). */
class EnvFileTest {

    @Test
    void shouldReadKeyValueLinesLiterally() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("APP_ENV", "staging");
        expected.put("DATABASE_URL", "vault:secret/data/demo-shop/staging#database_url");
        expected.put("SENTRY_DSN", "");
        expected.put("GREETING", "hello world");
        expected.put("QUOTED", "it's $HOME");
        expected.put("EXPORTED", "a=b");
        assertEquals(expected, EnvFile.parse("config/staging.env", """
                # demo-shop staging
                APP_ENV=staging
                DATABASE_URL=vault:secret/data/demo-shop/staging#database_url

                SENTRY_DSN=
                  GREETING = hello world\r
                QUOTED="it's $HOME"
                export EXPORTED=a=b
                """));
    }

    @Test
    void shouldRefuseMalformedLinesNamingTheLineAndNeverTheValue() {
        IllegalArgumentException noEquals = assertThrows(IllegalArgumentException.class,
                () -> EnvFile.parse("config/staging.env", "A=1\n# ok\nsupersecretvalue\n"));
        assertEquals("config/staging.env line 3 is not KEY=value (no '=')", noEquals.getMessage());
        assertFalse(noEquals.getMessage().contains("supersecret"));

        IllegalArgumentException badName = assertThrows(IllegalArgumentException.class,
                () -> EnvFile.parse("config/staging.env", "MY-VAR=1\n"));
        assertTrue(badName.getMessage().contains("line 1") && badName.getMessage().contains("is not a variable name"), badName.getMessage());

        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> EnvFile.parse("config/staging.env", "A=1\nB=2\nA=3\n"));
        assertEquals("config/staging.env line 3: A is already set on line 1", twice.getMessage());

        assertThrows(IllegalArgumentException.class, () -> EnvFile.parse("config/staging.env", "=value\n"));
        assertThrows(IllegalArgumentException.class, () -> EnvFile.parse("config/staging.env", "A=x\0y\n"));
    }
}

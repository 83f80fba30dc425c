package dev.runway.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.runway.cli.UsageException;

class VersionsTest {

    @Test
    void shouldSendTheBareSemverWhateverTheUserTyped() {
        assertEquals("1.2.3", Versions.normalise("v1.2.3"));
        assertEquals("1.2.3", Versions.normalise("V1.2.3"));
        assertEquals("1.2.3", Versions.normalise(" 1.2.3 "));
        assertEquals("1.2.3-rc.1+build.7", Versions.normalise("v1.2.3-rc.1+build.7"));
        assertEquals("0.0.1", Versions.normalise("0.0.1"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "1.2", "vv1.2.3", "01.2.3", "1.2.3.4", "latest", "1.2.3-" })
    void shouldRefuseWhatTheApiWouldRefuse(String version) {
        assertThrows(UsageException.class, () -> Versions.normalise(version));
    }

    @Test
    void shouldNormaliseEnvironmentsAndStrategies() {
        assertEquals("production", Environments.normalise("PROD"));
        assertEquals("development", Environments.normalise("dev"));
        assertEquals("blue-green", Environments.strategy("Blue-Green"));
        assertThrows(UsageException.class, () -> Environments.normalise("qa"));
        assertThrows(UsageException.class, () -> Environments.strategy("big-bang"));
    }

    @Test
    void shouldParseDurationsPeopleType() {
        assertEquals(Duration.ofMinutes(15), Durations.parse("15m"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("90s"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofSeconds(45), Durations.parse("45"));
        assertEquals(Duration.ofMinutes(15), Durations.parse("PT15M"));
        assertThrows(UsageException.class, () -> Durations.parse("15 minutes"));
        assertThrows(UsageException.class, () -> Durations.parse("0s"));
        assertThrows(UsageException.class, () -> Durations.parse("m15"));
        assertEquals("4.2 s", Durations.human(Duration.ofMillis(4200)));
        assertEquals("12 s", Durations.human(Duration.ofSeconds(12)));
        assertEquals("2 min 5 s", Durations.human(Duration.ofSeconds(125)));
    }
}

package dev.runway.notifier.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ManifestNotificationsTest {

    @Test
    void shouldReadTheSeedManifestsNotifications() throws IOException {
        // sop.md 000-5.1 as written: slack "#deployments", email tech-lead@greyquill.io.
        String seed = """
                version: "1.0"
                project:
                  name: "project-name"
                deployment:
                  strategy: "blue-green"
                  notifications:
                    slack: "#deployments"
                    email:
                      - "tech-lead@greyquill.io"
                """;
        ManifestNotifications n = ManifestNotifications.parse(seed);
        assertEquals(Optional.of("#deployments"), n.slack());
        assertEquals(List.of("tech-lead@greyquill.io"), n.emails());
        assertEquals(List.of(), n.webhooks());
    }

    @Test
    void shouldReadJsonManifestsToo() {
        ManifestNotifications n = ManifestNotifications.parse(
                "{\"deployment\":{\"notifications\":{\"webhooks\":[\"https://a.example/x\"],\"email\":[\"a@b.c\",\"a@b.c\"]}}}");
        assertEquals(Optional.empty(), n.slack());
        assertEquals(List.of("a@b.c"), n.emails());
        assertEquals(List.of("https://a.example/x"), n.webhooks());
    }

    @Test
    void shouldFallBackToNoneForMissingOrUnreadableManifests() {
        assertEquals(ManifestNotifications.NONE, ManifestNotifications.parse(null));
        assertEquals(ManifestNotifications.NONE, ManifestNotifications.parse("deployment: [unclosed"));
        assertEquals(ManifestNotifications.NONE, ManifestNotifications.parse("project: {name: x}"));
    }

}

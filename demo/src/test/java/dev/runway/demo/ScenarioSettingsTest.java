package dev.runway.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Which demo runs ({@code --scenario}) and what the services get for it. */
class ScenarioSettingsTest {

    static List<String> args(String... more) {
        List<String> args = new ArrayList<>(List.of("--root", "/r", "--state", "/s", "--kafka", "k:9092", "--postgres", "db:5432",
                "--pg-user", "u", "--pg-password", "p", "--redis", "redis://x"));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void theShopDemoIsTheDefaultAndNextjsTheOtherOne() {
        assertEquals(Settings.SHOP, Settings.parse(args()).scenario());
        assertEquals(Settings.NEXTJS, Settings.parse(args("--scenario", "nextjs")).scenario());
        Settings.UsageException e = assertThrows(Settings.UsageException.class, () -> Settings.parse(args("--scenario", "flutter")));
        assertTrue(e.getMessage().contains("shop or nextjs"), e.getMessage());
        assertEquals(List.of("demo-shop", "nova-blog"), DemoProjects.of(Settings.SHOP));
        assertEquals(List.of("nextjs-prisma"), DemoProjects.of(Settings.NEXTJS));
    }

    @Test
    void theNextjsReleaseGetsItsDatabaseAndItsBuildsAsOperatorSecrets() {
        List<String> env = DemoProjects.serviceEnvironment(Settings.parse(args("--scenario", "nextjs")));
        assertTrue(env.contains("RUNWAY_DB_NEXTJS_PRISMA_STAGING_URL=jdbc:postgresql://db:5432/runway_client_nextjs_prisma_staging"), env.toString());
        assertTrue(env.contains("RUNWAY_SECRET_NEXTJS_PRISMA_STAGING__DATABASE_URL=postgresql://u:p@db:5432/runway_client_nextjs_prisma_staging"),
                env.toString());
        assertTrue(env.contains("RUNWAY_SECRET_NEXTJS_PRISMA_PRODUCTION__NEXT_BUILDS=/s/builds/nextjs-prisma"), env.toString());
        assertFalse(env.stream().anyMatch(v -> v.startsWith("RUNWAY_DB_DEMO_SHOP")), "no other project's database");
        assertEquals(List.of("runway_client_nextjs_prisma_development", "runway_client_nextjs_prisma_staging",
                "runway_client_nextjs_prisma_production"), DemoProjects.databases(Settings.NEXTJS));
    }

    @Test
    void theShopDemoGivesNoReleaseSecrets() {
        List<String> env = DemoProjects.serviceEnvironment(Settings.parse(args()));
        assertFalse(env.stream().anyMatch(v -> v.startsWith("RUNWAY_SECRET_")), env.toString());
        assertTrue(env.contains("RUNWAY_DB_NOVA_BLOG_STAGING_USERNAME=u"), env.toString());
        assertTrue(env.contains("RUNWAY_ENVIRONMENTS_STAGING_VERIFY_SECONDS=4"), env.toString());
    }
}

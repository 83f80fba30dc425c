package dev.runway.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ProjectScopeTest {

    @Test
    void clientWildcardCoversEveryProjectOfThatClientOnly() {
        ProjectScope scope = ProjectScope.of(List.of("acme/*", "globex/shop"));
        assertTrue(scope.allows("acme", "web"));
        assertTrue(scope.allows("ACME", "Portal"));
        assertTrue(scope.allows("globex", "shop"));
        assertFalse(scope.allows("globex", "crm"));
        assertFalse(scope.allows("initech", "shop"));
        assertTrue(scope.allowsClient("acme"));
        assertFalse(scope.allowsClient("globex"));
        assertFalse(scope.isAgencyWide());
    }

    @Test
    void starIsAgencyWide() {
        ProjectScope scope = ProjectScope.of(List.of("*"));
        assertTrue(scope.isAgencyWide());
        assertTrue(scope.allows("anyone", "anything"));
        assertTrue(scope.allows(null, "a project whose client is not known yet"));
    }

    @Test
    void noClaimMeansNoProject() {
        assertFalse(ProjectScope.of(null).allows("acme", "web"));
        assertFalse(ProjectScope.of(List.of()).allows("acme", "web"));
        assertFalse(ProjectScope.of(List.of("acme/*")).allows(null, "web"));
    }

    @Test
    void malformedPatternsAreRefused() {
        for (String bad : List.of("acme", "acme/", "/web", "acme/we*", "a/b/c", " ", "ac me/*")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProjectScope.of(List.of(bad)));
            assertTrue(e.getMessage().contains(ProjectScope.CLAIM), e.getMessage());
        }
    }

    @Test
    void safeNamesCollideWhereTheyWouldShareANamespace() {
        assertEquals("my-shop", ProjectNames.safe("my_shop"));
        assertEquals("my-shop", ProjectNames.safe("My.Shop"));
        assertEquals("my-shop", ProjectNames.safe("--my shop--"));
        assertEquals("demo-shop-staging", ProjectNames.projectEnvironment("demo-shop", "STAGING"));
        assertThrows(IllegalArgumentException.class, () -> ProjectNames.safe("___"));
        assertThrows(IllegalArgumentException.class, () -> ProjectNames.safe("x".repeat(41)));
    }
}

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
    void claimsAreReadInTheFormsJwtLibrariesHandThemOver() {
        // A JSON string's text form is quoted (jakarta.json JsonString#toString): the quotes are not part of the pattern.
        assertTrue(ProjectScope.ofClaim(List.of("\"acme/*\"", "globex/shop")).allows("acme", "web"));
        assertTrue(ProjectScope.ofClaim(List.of("\"acme/*\"", "globex/shop")).allows("globex", "shop"));
        assertTrue(ProjectScope.ofClaim(new String[] {"*"}).isAgencyWide());
        assertTrue(ProjectScope.ofClaim("acme/web").allows("acme", "web"));
        assertFalse(ProjectScope.ofClaim(null).allows("acme", "web"));
        String[][] pairs = ProjectScope.of(List.of("*", "acme/*", "globex/shop")).clientProjectPairs();
        assertEquals(List.of("acme", "globex"), List.of(pairs[0]));
        assertEquals(List.of("*", "shop"), List.of(pairs[1]));
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

package app.fivestar.web;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PagesTest {

    @Test
    void aPageOpensForItsRolesOrForAnyoneAndTheMenuListsThoseInOrder() {
        Pages pages = Pages.parse("""
                # comment
                / = *
                /dashboard = LEADER, OFFICE
                /verify = OFFICE
                """);
        assertTrue(pages.opens("/", Set.of("CADRE")));
        assertFalse(pages.opens("/verify", Set.of("CADRE")));
        assertFalse(pages.opens("/nowhere", Set.of("OFFICE")));
        assertEquals(List.of("/", "/dashboard", "/verify"), pages.openedBy(Set.of("OFFICE")));
        assertEquals(List.of("/", "/dashboard"), pages.openedBy(Set.of("LEADER")));
        assertThrows(IllegalArgumentException.class, () -> Pages.parse("/api/v1/x = OFFICE"));
        assertThrows(IllegalArgumentException.class, () -> Pages.parse("/m/x = CADRE"));
        assertThrows(IllegalArgumentException.class, () -> Pages.parse("/m = CADRE"));
        assertEquals(List.of("/meetings"), Pages.parse("/meetings = LEADER").openedBy(Set.of("LEADER")), "a page whose name starts with m");
    }

    @Test
    void everyConsolePageNeedsASession() throws IOException {
        Properties config = new Properties();
        try (InputStream in = Pages.class.getResourceAsStream("/application.properties")) {
            config.load(in);
        }
        Set<String> authenticated = Set.of(config.getProperty("quarkus.http.auth.permission.pages.paths").split("\\s*,\\s*"));
        for (String page : Pages.load().paths()) {
            assertTrue(authenticated.contains(page), page + " is in quarkus.http.auth.permission.pages.paths");
            if (!page.equals("/")) {
                assertTrue(authenticated.contains(page + "/*"), page + "/* is in quarkus.http.auth.permission.pages.paths");
            }
        }
    }
}

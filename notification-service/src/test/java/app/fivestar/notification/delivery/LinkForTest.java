package app.fivestar.notification.delivery;

import app.fivestar.notification.directory.KnownPerson;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A cadre's task link opens the phone's page; everyone else's the console's; meeting links are the console's for all. */
class LinkForTest {

    static KnownPerson with(String roles) {
        KnownPerson p = new KnownPerson();
        p.roles = roles;
        return p;
    }

    @Test
    void aCadreGetsThePhonesTaskPageOthersTheConsoles() {
        assertEquals("/m/tasks/42", Notifier.linkFor("/tasks/42", with("CADRE")));
        assertEquals("/tasks/42", Notifier.linkFor("/tasks/42", with("GROUP_LEAD")));
        assertEquals("/tasks/42", Notifier.linkFor("/tasks/42", with("CADRE,GROUP_LEAD")));
        assertEquals("/tasks/42", Notifier.linkFor("/tasks/42", with("OFFICE")));
        assertEquals("/meetings/7", Notifier.linkFor("/meetings/7", with("CADRE")));
        assertEquals("/tasks/42", Notifier.linkFor("/tasks/42", null));
        assertEquals(null, Notifier.linkFor(null, with("CADRE")));
    }
}

package app.fivestar.notification.preference;

import app.fivestar.notification.directory.KnownPerson;
import app.fivestar.notification.message.NotificationKind;
import app.fivestar.platform.security.Roles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.LocalTime;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** A person's effective preferences: what they chose, or the defaults of their role. */
@ApplicationScoped
public class Preferences {

    public enum Channel { EMAIL, WEBHOOK }

    /** What a person receives where; quiet hours in Asia/Shanghai local time. */
    public record Choice(Map<NotificationKind, Set<Channel>> channels, LocalTime quietStart, LocalTime quietEnd, boolean digest) {
        public boolean wants(NotificationKind kind, Channel channel) {
            return channels.getOrDefault(kind, Set.of()).contains(channel);
        }

        public boolean isQuiet(LocalTime t) {
            if (quietStart == null || quietEnd == null || quietStart.equals(quietEnd)) {
                return false;
            }
            return quietStart.isBefore(quietEnd) ? !t.isBefore(quietStart) && t.isBefore(quietEnd)
                    : !t.isBefore(quietStart) || t.isBefore(quietEnd);
        }
    }

    @Inject
    ObjectMapper json;

    public Choice of(UUID personId) {
        Preference p = Preference.findById(personId);
        if (p == null) {
            KnownPerson person = KnownPerson.findById(personId);
            return defaults(person);
        }
        return new Choice(read(p.channels), p.quietStart, p.quietEnd, p.digest);
    }

    /**
     * Defaults: webhooks hear everything; e-mail carries what a role must not miss — a cadre's and a group
     * lead's new, returned, overdue tasks; a leader's escalations and rankings; a town secretary's rankings and
     * statements; the office's submissions. Quiet hours 22:00–07:00, no digest.
     */
    public static Choice defaults(KnownPerson person) {
        Map<NotificationKind, Set<Channel>> channels = new EnumMap<>(NotificationKind.class);
        for (NotificationKind k : NotificationKind.values()) {
            channels.put(k, EnumSet.of(Channel.WEBHOOK));
        }
        Set<NotificationKind> email = EnumSet.of(NotificationKind.TASK_ESCALATED);
        if (person != null) {
            if (person.has(Roles.CADRE) || person.has(Roles.GROUP_LEAD)) {
                email.addAll(EnumSet.of(NotificationKind.TASK_ASSIGNED, NotificationKind.TASK_RETURNED, NotificationKind.TASK_OVERDUE,
                        NotificationKind.ACTION_ITEM));
            }
            if (person.has(Roles.LEADER)) {
                email.add(NotificationKind.RANKING_PUBLISHED);
            }
            if (person.has(Roles.TOWN_SECRETARY)) {
                email.addAll(EnumSet.of(NotificationKind.RANKING_PUBLISHED, NotificationKind.STATEMENT_REQUIRED));
            }
            if (person.has(Roles.OFFICE)) {
                email.add(NotificationKind.TASK_SUBMITTED);
            }
        }
        email.forEach(k -> channels.get(k).add(Channel.EMAIL));
        return new Choice(channels, LocalTime.of(22, 0), LocalTime.of(7, 0), false);
    }

    public String write(Map<NotificationKind, Set<Channel>> channels) {
        try {
            return json.writeValueAsString(channels);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<NotificationKind, Set<Channel>> read(String text) {
        try {
            Map<NotificationKind, Set<Channel>> m = new EnumMap<>(NotificationKind.class);
            m.putAll(json.readValue(text, new TypeReference<Map<NotificationKind, Set<Channel>>>() { }));
            return m;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package app.fivestar.notification.preference;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.LocalTime;
import java.util.UUID;

/** A person's choices: which channels for which kinds (JSON), quiet hours, daily digest. */
@Entity
@Table(name = "preference")
public class Preference extends PanacheEntityBase {
    @Id
    @Column(name = "person_id")
    public UUID personId;
    /** JSON object: kind → list of channels among EMAIL, WEBHOOK (the inbox always receives). */
    public String channels;
    @Column(name = "quiet_start")
    public LocalTime quietStart;
    @Column(name = "quiet_end")
    public LocalTime quietEnd;
    public boolean digest;
    @Version
    public long version;
}

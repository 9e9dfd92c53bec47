package app.fivestar.task.directory;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.UUID;

/** 村 / 社区: a village or urban community and its Party branch, in one town. */
@Entity
@Table(name = "village")
public class Village extends PanacheEntityBase {
    @Id
    public UUID id;
    public String code;
    public String name;
    @Column(name = "town_id")
    public UUID townId;
    /** VILLAGE or COMMUNITY. */
    public String kind;

    /** What a fan-out needs of a village; not an entity, so the persistence context does not hold it. */
    public record Ref(UUID id, String code, UUID townId) {
    }

    /** The villages {@code where} (JPQL on {@code v}, e.g. {@code "where v.townId = ?1"}; empty for all) selects, by code. */
    public static java.util.List<Ref> refs(String where, Object... params) {
        var q = getEntityManager().createQuery("select new " + Ref.class.getName() + "(v.id, v.code, v.townId) from Village v "
                + where + " order by v.code", Ref.class);
        for (int i = 0; i < params.length; i++) {
            q.setParameter(i + 1, params[i]);
        }
        return q.getResultList();
    }
}

package app.fivestar.review.scoring;

import app.fivestar.platform.problem.Problems;
import app.fivestar.platform.web.Preconditions;
import app.fivestar.review.meeting.Meeting;
import app.fivestar.review.meeting.MeetingCreated;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The score sheet of an observation: weighted criteria (a default per star is installed when the meeting is
 * created) and the people who score. A criterion may be computed from task data instead of scored by hand:
 * {@code ON_TIME_RATE} is the share of the town's tasks of the meeting's star verified on time in the period.
 */
@ApplicationScoped
@Transactional
public class ScoreSheets {

    public static final String ON_TIME_RATE = "ON_TIME_RATE";

    public record Criterion(String code, String name, BigDecimal weight, String computed) {
    }

    public record Sheet(List<Criterion> criteria, List<UUID> scorers) {
    }

    /** Default criteria per star; the same four headings, weighted for what each star is about. */
    static final Map<String, List<Criterion>> DEFAULTS = Map.of(
            "ZB", sheet("支部班子与组织生活", 40, "党建阵地与台账", 20, "党员作用发挥", 20, "创新做法", 20),
            "CY", sheet("集体经济与产业项目", 40, "台账资料", 20, "群众增收成效", 20, "特色品牌", 20),
            "ST", sheet("现场人居环境", 40, "长效管护机制", 20, "群众满意度", 20, "特色亮点", 20),
            "PA", sheet("矛盾纠纷化解", 40, "网格化治理", 20, "群众安全感", 20, "创新做法", 20),
            "WM", sheet("文明实践与服务", 40, "志愿服务", 20, "群众满意度", 20, "特色品牌", 20),
            "GEN", sheet("现场观摩", 40, "资料台账", 20, "群众满意度", 20, "特色创新", 20));

    private static List<Criterion> sheet(String a, int wa, String b, int wb, String c, int wc, String d, int wd) {
        return List.of(new Criterion("SITE", a, BigDecimal.valueOf(wa), null), new Criterion("RECORDS", b, BigDecimal.valueOf(wb), null),
                new Criterion("PEOPLE", c, BigDecimal.valueOf(wc), null), new Criterion("INNOVATION", d, BigDecimal.valueOf(wd), null));
    }

    @Inject
    EntityManager em;

    /** An observation is scored: it starts with its star's default sheet. */
    void onMeetingCreated(@Observes MeetingCreated created) {
        if (created.meeting().type == Meeting.Type.OBSERVATION) {
            installDefault(created.meeting());
        }
    }

    public void installDefault(Meeting m) {
        for (Criterion c : DEFAULTS.getOrDefault(m.star, DEFAULTS.get("GEN"))) {
            insert(m.id, c);
        }
    }

    /** The sheet's own version (its ETag): changing the sheet does not change the meeting, nor the meeting the sheet. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public long version(UUID meetingId) {
        return ((Number) em.createNativeQuery("select sheet_version from meeting where id = ?1").setParameter(1, meetingId).getSingleResult())
                .longValue();
    }

    /** Replaces the sheet if it is still the version the caller saw (If-Match), 428/412 otherwise. */
    public Sheet replace(Meeting m, Sheet sheet, String ifMatch) {
        // the row lock makes two edits based on the same version one after the other: the second gets 412
        long current = ((Number) em.createNativeQuery("select sheet_version from meeting where id = ?1 for update").setParameter(1, m.id)
                .getSingleResult()).longValue();
        Preconditions.requireMatch(ifMatch, current);
        Sheet replaced = replace(m, sheet);
        em.createNativeQuery("update meeting set sheet_version = sheet_version + 1 where id = ?1").setParameter(1, m.id).executeUpdate();
        return replaced;
    }

    Sheet replace(Meeting m, Sheet sheet) {
        if (m.type != Meeting.Type.OBSERVATION) {
            throw Problems.conflict("只有观摩会才有评分表");
        }
        if (em.createNativeQuery("select 1 from ranking_entry where meeting_id = ?1").setParameter(1, m.id).getResultList().size() > 0) {
            throw Problems.conflict("排名已通报，评分表不能再修改");
        }
        if (sheet.criteria().isEmpty()) {
            throw Problems.unprocessable("评分表至少需要一个评分项");
        }
        for (Criterion c : sheet.criteria()) {
            if (c.weight() == null || c.weight().signum() <= 0) {
                throw Problems.unprocessable("每个评分项的权重都须大于 0").with("criterion", c.code());
            }
            if (c.computed() != null && !Set.of(ON_TIME_RATE).contains(c.computed())) {
                throw Problems.unprocessable("可自动计算的评分项只有：" + ON_TIME_RATE).with("criterion", c.code());
            }
        }
        em.createNativeQuery("delete from score_criterion where meeting_id = ?1").setParameter(1, m.id).executeUpdate();
        sheet.criteria().forEach(c -> insert(m.id, c));
        em.createNativeQuery("delete from scorer where meeting_id = ?1").setParameter(1, m.id).executeUpdate();
        for (UUID s : sheet.scorers().stream().distinct().toList()) {
            em.createNativeQuery("insert into scorer (meeting_id, person_id) values (?1, ?2)").setParameter(1, m.id).setParameter(2, s).executeUpdate();
        }
        return of(m.id);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    @SuppressWarnings("unchecked")
    public Sheet of(UUID meetingId) {
        List<Object[]> rows = em.createNativeQuery("select code, name, weight, computed from score_criterion where meeting_id = ?1 order by code")
                .setParameter(1, meetingId).getResultList();
        List<UUID> scorers = em.createNativeQuery("select person_id from scorer where meeting_id = ?1 order by person_id")
                .setParameter(1, meetingId).getResultList();
        return new Sheet(rows.stream().map(r -> new Criterion((String) r[0], (String) r[1], (BigDecimal) r[2], (String) r[3])).toList(), scorers);
    }

    private void insert(UUID meetingId, Criterion c) {
        em.createNativeQuery("insert into score_criterion (meeting_id, code, name, weight, computed) values (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, meetingId).setParameter(2, c.code()).setParameter(3, c.name()).setParameter(4, c.weight())
                .setParameter(5, c.computed()).executeUpdate();
    }
}

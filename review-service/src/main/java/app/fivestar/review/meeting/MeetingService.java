package app.fivestar.review.meeting;

import app.fivestar.platform.events.Topics;
import app.fivestar.platform.outbox.Outbox;
import app.fivestar.platform.problem.Problems;
import app.fivestar.platform.web.Preconditions;
import app.fivestar.platform.words.Labels;
import app.fivestar.review.progress.TaskProgress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Meetings: DRAFT → OPEN → IN_PROGRESS → CLOSED. Outcomes (decisions, findings) are recorded only while in
 * progress; a closed meeting changes only by journalled corrections of its minutes.
 */
@ApplicationScoped
@Transactional
public class MeetingService {

    @Inject
    EntityManager em;

    @Inject
    Outbox outbox;

    @Inject
    Clock clock;

    @Inject
    Event<MeetingCreated> created;

    public record NewMeeting(String title, Meeting.Type type, String star, LocalDate date, String place, UUID chairId, String agenda) {
    }

    public record NewActionItem(String title, UUID groupId, UUID assigneeId, LocalDate dueDate, String star, UUID townId, UUID villageId) {
    }

    public Meeting create(NewMeeting r, UUID actor) {
        if ((r.type() == Meeting.Type.OBSERVATION || r.type() == Meeting.Type.REVIEW) && r.star() == null) {
            throw violation("star", "观摩和讲评会须指定一个星级（star）");
        }
        Meeting m = new Meeting();
        m.id = UUID.randomUUID();
        m.title = r.title().strip();
        m.type = r.type();
        m.star = r.star();
        m.date = r.date();
        m.place = r.place();
        m.chairId = r.chairId();
        m.agenda = r.agenda();
        m.status = Meeting.Status.DRAFT;
        m.createdBy = actor;
        m.createdAt = Instant.now(clock);
        m.persist();
        created.fire(new MeetingCreated(m));
        journal(m, actor, "create", null, null, m.title);
        return m;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Meeting get(UUID id) {
        return Meeting.<Meeting>findByIdOptional(id).orElseThrow(() -> Problems.notFound("会议 " + id + " 不存在"));
    }

    public Meeting move(UUID id, String ifMatch, Meeting.Status to, UUID actor) {
        Meeting m = get(id);
        Preconditions.requireMatch(ifMatch, m.version);
        Meeting.Status expected = switch (to) {
            case OPEN -> Meeting.Status.DRAFT;
            case IN_PROGRESS -> Meeting.Status.OPEN;
            case CLOSED -> Meeting.Status.IN_PROGRESS;
            default -> throw new IllegalArgumentException();
        };
        if (m.status != expected) {
            throw Problems.conflict("会议当前为 " + m.status + "，不能变为 " + to).with("currentState", m.status.name())
                    .with("allowedTransitions", allowed(m.status));
        }
        Meeting.Status before = m.status;
        m.status = to;
        if (to == Meeting.Status.CLOSED) {
            m.closedAt = Instant.now(clock);
        }
        journal(m, actor, to.name().toLowerCase(), before.name(), to.name(), null);
        em.flush();
        return m;
    }

    public Meeting edit(UUID id, String ifMatch, String agenda, String minutes, String place, String correction, UUID actor) {
        Meeting m = get(id);
        Preconditions.requireMatch(ifMatch, m.version);
        if (m.status == Meeting.Status.CLOSED) {
            if (correction == null || correction.isBlank()) {
                throw Problems.conflict("会议已结束：只能更正纪要，并须说明更正原因（correction）")
                        .with("currentState", m.status.name());
            }
            if (agenda != null || place != null) {
                throw Problems.conflict("已结束的会议只能更正纪要").with("currentState", m.status.name());
            }
        }
        if (agenda != null) {
            journal(m, actor, "agenda", m.agenda, agenda, correction);
            m.agenda = agenda;
        }
        if (place != null) {
            journal(m, actor, "place", m.place, place, correction);
            m.place = place;
        }
        if (minutes != null) {
            journal(m, actor, m.status == Meeting.Status.CLOSED ? "correct-minutes" : "minutes", m.minutes, minutes, correction);
            m.minutes = minutes;
        }
        em.flush();
        return m;
    }

    public record Attendance(UUID personId, String attendance, UUID delegateId) {
    }

    public Meeting attendees(UUID id, String ifMatch, List<Attendance> list, UUID actor) {
        Meeting m = get(id);
        Preconditions.requireMatch(ifMatch, m.version);
        if (m.status == Meeting.Status.CLOSED) {
            throw Problems.conflict("会议已结束").with("currentState", m.status.name());
        }
        em.createNativeQuery("delete from attendee where meeting_id = ?1").setParameter(1, m.id).executeUpdate();
        for (Attendance a : list) {
            if (!Set.of("PRESENT", "ABSENT", "DELEGATED").contains(a.attendance())) {
                throw violation("attendees.attendance", "只能是 PRESENT（出席）、ABSENT（缺席）或 DELEGATED（委托）");
            }
            em.createNativeQuery("insert into attendee (meeting_id, person_id, attendance, delegate_id) values (?1, ?2, ?3, ?4)")
                    .setParameter(1, m.id).setParameter(2, a.personId()).setParameter(3, a.attendance()).setParameter(4, a.delegateId())
                    .executeUpdate();
        }
        journal(m, actor, "attendees", null, Integer.toString(list.size()), null);
        // the attendees are rows of their own: bump the meeting's version so that If-Match protects them too
        em.lock(m, jakarta.persistence.LockModeType.OPTIMISTIC_FORCE_INCREMENT);
        em.flush();
        return m;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    @SuppressWarnings("unchecked")
    public List<Attendance> attendeesOf(UUID id) {
        List<Object[]> rows = em.createNativeQuery("select person_id, attendance, delegate_id from attendee where meeting_id = ?1 order by person_id")
                .setParameter(1, id).getResultList();
        return rows.stream().map(r -> new Attendance((UUID) r[0], (String) r[1], (UUID) r[2])).toList();
    }

    /** Where a page of meetings ends: the last meeting's date, creation instant and id (opaque to clients). */
    public record Position(LocalDate date, Instant createdAt, UUID id) {
        static Position of(Meeting m) {
            return new Position(m.date, m.createdAt, m.id);
        }

        String encode() {
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString((date + "|" + createdAt + "|" + id)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        static Position decode(String cursor) {
            try {
                String[] p = new String(java.util.Base64.getUrlDecoder().decode(cursor), java.nio.charset.StandardCharsets.UTF_8).split("\\|");
                return new Position(LocalDate.parse(p[0]), Instant.parse(p[1]), UUID.fromString(p[2]));
            } catch (RuntimeException e) {
                throw Problems.badRequest("cursor 不是本服务给出的分页游标");
            }
        }
    }

    /** Up to {@code n} meetings (optionally of one type) after {@code after}, latest date first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Meeting> page(Meeting.Type type, Position after, int n) {
        StringBuilder where = new StringBuilder("1 = 1");
        Map<String, Object> p = new LinkedHashMap<>();
        if (type != null) {
            where.append(" and m.type = :type");
            p.put("type", type);
        }
        if (after != null) {
            where.append(" and (m.date < :d or (m.date = :d and (m.createdAt < :c or (m.createdAt = :c and m.id < :i))))");
            p.put("d", after.date());
            p.put("c", after.createdAt());
            p.put("i", after.id());
        }
        var q = em.createQuery("select m from Meeting m where " + where + " order by m.date desc, m.createdAt desc, m.id desc", Meeting.class);
        p.forEach(q::setParameter);
        return q.setMaxResults(n).getResultList();
    }

    /** The attendees of several meetings, in one query. */
    @Transactional(Transactional.TxType.SUPPORTS)
    @SuppressWarnings("unchecked")
    public Map<UUID, List<Attendance>> attendeesOf(List<UUID> ids) {
        Map<UUID, List<Attendance>> out = new java.util.HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        List<Object[]> rows = em.createNativeQuery("select meeting_id, person_id, attendance, delegate_id from attendee where meeting_id in (:ids) "
                + "order by meeting_id, person_id").setParameter("ids", ids).getResultList();
        for (Object[] r : rows) {
            out.computeIfAbsent((UUID) r[0], k -> new ArrayList<>()).add(new Attendance((UUID) r[1], (String) r[2], (UUID) r[3]));
        }
        return out;
    }

    public Decision decide(UUID meetingId, String text, List<NewActionItem> items, UUID actor) {
        Meeting m = inProgress(meetingId);
        LocalDate today = LocalDate.now(clock.withZone(Briefings.ZONE));
        List<Map<String, String>> late = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).dueDate().isBefore(today)) {
                late.add(Map.of("field", "actionItems[" + i + "].dueDate", "message", "办结期限不能早于今天（" + today + "，北京时间）"));
            }
        }
        if (!late.isEmpty()) {
            throw Problems.unprocessable("办结期限不能早于今天：事项交办时就已逾期").with("violations", late);
        }
        Decision d = new Decision();
        d.id = UUID.randomUUID();
        d.meetingId = m.id;
        d.text = text.strip();
        d.createdBy = actor;
        d.createdAt = Instant.now(clock);
        d.persist();
        for (NewActionItem i : items) {
            ActionItem a = new ActionItem();
            a.id = UUID.randomUUID();
            a.decisionId = d.id;
            a.meetingId = m.id;
            a.title = i.title().strip();
            a.groupId = i.groupId();
            a.assigneeId = i.assigneeId();
            a.dueDate = i.dueDate();
            a.star = i.star() != null ? i.star() : m.star;
            a.townId = i.townId();
            a.villageId = i.villageId();
            a.persist();
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("meetingId", m.id);
            data.put("meetingTitle", m.title);
            data.put("meetingDate", m.date);
            data.put("decisionId", d.id);
            data.put("actionItemId", a.id);
            data.put("title", a.title);
            data.put("groupId", a.groupId);
            data.put("assigneeId", a.assigneeId);
            data.put("dueDate", a.dueDate);
            data.put("star", a.star);
            data.put("townId", a.townId);
            data.put("villageId", a.villageId);
            outbox.publish(Topics.REVIEW_EVENTS, "review.action-item-created.v1", m.id, data);
        }
        journal(m, actor, "decision", null, d.text, null);
        return d;
    }

    public Finding find(UUID meetingId, UUID taskId, UUID villageId, String result, String note, UUID actor) {
        Meeting m = inProgress(meetingId);
        if (m.type != Meeting.Type.LOOK_BACK) {
            throw Problems.conflict("检查发现只能记录在回头看（LOOK_BACK）会议中");
        }
        if (!Set.of("HOLDS", "REBOUNDED").contains(result)) {
            throw violation("result", "只能是 HOLDS（保持良好）或 REBOUNDED（出现反弹）");
        }
        // a look-back inspects what was verified: only a task verified (as this service's projection of task-events
        // knows it) holds or rebounds, and a task already found rebounded since its verification is not again
        TaskProgress task = TaskProgress.<TaskProgress>findByIdOptional(taskId)
                .orElseThrow(() -> Problems.notFound("任务 " + taskId + " 不存在（或尚未同步到本服务）"));
        if (!"VERIFIED".equals(task.status)) {
            throw Problems.conflict("回头看只检查已销号的任务；该任务当前状态为「" + Labels.taskStatus(task.status) + "」")
                    .with("currentState", task.status);
        }
        if (Finding.count("taskId = ?1 and result = 'REBOUNDED' and createdAt >= ?2", taskId, task.verifiedAt) > 0) {
            throw Problems.conflict("该任务已在回头看中发现反弹并重新打开，不能再次记录").with("currentState", "REOPENED");
        }
        Finding f = new Finding();
        f.id = UUID.randomUUID();
        f.meetingId = m.id;
        f.taskId = taskId;
        f.villageId = villageId;
        f.result = result;
        f.note = note.strip();
        f.inspectorId = actor;
        f.createdAt = Instant.now(clock);
        f.persist();
        if (result.equals("REBOUNDED")) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("meetingId", m.id);
            data.put("findingId", f.id);
            data.put("taskId", taskId);
            data.put("villageId", villageId);
            data.put("note", f.note);
            data.put("inspectorId", actor);
            outbox.publish(Topics.REVIEW_EVENTS, "review.task-reopened.v1", m.id, data);
        }
        journal(m, actor, "finding", null, result, f.note);
        return f;
    }

    Meeting inProgress(UUID id) {
        Meeting m = get(id);
        if (m.status != Meeting.Status.IN_PROGRESS) {
            throw Problems.conflict("只有进行中的会议才能记录议定事项和检查发现；会议当前为 " + m.status)
                    .with("currentState", m.status.name()).with("allowedTransitions", allowed(m.status));
        }
        return m;
    }

    static List<String> allowed(Meeting.Status s) {
        return switch (s) {
            case DRAFT -> List.of("open");
            case OPEN -> List.of("start");
            case IN_PROGRESS -> List.of("close");
            case CLOSED -> new ArrayList<>();
        };
    }

    void journal(Meeting m, UUID actor, String action, String oldValue, String newValue, String note) {
        em.createNativeQuery("insert into meeting_journal (meeting_id, at, actor_id, action, note, old_value, new_value) values (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                .setParameter(1, m.id).setParameter(2, Instant.now(clock)).setParameter(3, actor).setParameter(4, action)
                .setParameter(5, note).setParameter(6, oldValue).setParameter(7, newValue).executeUpdate();
    }

    static app.fivestar.platform.problem.ProblemException violation(String field, String message) {
        return Problems.unprocessable(message).with("violations", List.of(Map.of("field", field, "message", message)));
    }
}

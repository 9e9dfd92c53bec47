package app.fivestar.review.scoring;

import app.fivestar.platform.events.Topics;
import app.fivestar.platform.outbox.Outbox;
import app.fivestar.platform.problem.Problems;
import app.fivestar.review.directory.KnownPerson;
import app.fivestar.review.meeting.Meeting;
import app.fivestar.review.meeting.Statement;
import app.fivestar.review.places.KnownTown;
import app.fivestar.review.progress.TaskProgress;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Scores, the ranking they make (standard competition ranking: 1, 2, 2, 4), and its publication (通报) with the
 * statements required of the lowest towns (表态发言). Missing scores are reported, never counted as zero: a town
 * with a missing score has no total and no rank, and a ranking with missing scores cannot be published.
 */
@ApplicationScoped
@Transactional
public class Rankings {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    @Inject
    EntityManager em;

    @Inject
    ScoreSheets sheets;

    @Inject
    Outbox outbox;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    @ConfigProperty(name = "fivestar.ranking.statements", defaultValue = "3")
    int statements;

    /** What ON_TIME_RATE is for a town with no task of the star due in the period: FULL (100) or EXCLUDE (the criterion's weight is left out). */
    public enum NoTasks { FULL, EXCLUDE }

    @ConfigProperty(name = "fivestar.ranking.on-time-rate.no-tasks", defaultValue = "FULL")
    NoTasks noTasks;

    public record ScoreInput(UUID townId, String criterion, BigDecimal value) {
    }

    public record Missing(UUID townId, String townName, String criterion, UUID scorerId, String reason) {
    }

    /** One town; {@code notes} says, per criterion, how a value was stated rather than scored or computed from tasks. */
    public record Line(UUID townId, String townName, Integer rank, BigDecimal score, Map<String, BigDecimal> breakdown, boolean complete,
                       Map<String, String> notes) {
    }

    /**
     * A ranking; {@code statementTowns} are the towns whose secretaries make a statement when it is published (the lowest
     * N, ties at the cut included): what the leader's confirmation names before publishing.
     */
    public record Ranking(UUID meetingId, String star, boolean published, List<Line> lines, List<Missing> missing, List<UUID> statementTowns) {
        Ranking(UUID meetingId, String star, boolean published, List<Line> lines, List<Missing> missing, int statements) {
            this(meetingId, star, published, lines, missing, lowest(lines, statements));
        }
    }

    /** The lowest {@code n} ranked towns, ties at the cut included. */
    static List<UUID> lowest(List<Line> lines, int n) {
        List<Line> ranked = lines.stream().filter(l -> l.rank() != null).toList();
        if (n <= 0 || ranked.isEmpty()) {
            return List.of();
        }
        int cutRank = ranked.get(Math.max(0, ranked.size() - Math.min(n, ranked.size()))).rank();
        return ranked.stream().filter(l -> l.rank() >= cutRank).map(Line::townId).toList();
    }

    /** Records a scorer's scores; {@code tokenTown} is the town their token says they are secretary of (the directory may lag). */
    public void enter(Meeting m, UUID scorer, java.util.Optional<UUID> tokenTown, List<ScoreInput> scores) {
        if (m.type != Meeting.Type.OBSERVATION) {
            throw Problems.conflict("只有观摩会才打分");
        }
        if (isPublished(m.id)) {
            throw Problems.conflict("排名已通报，分数不能再修改");
        }
        ScoreSheets.Sheet sheet = sheets.of(m.id);
        if (!sheet.scorers().contains(scorer)) {
            throw Problems.forbidden("您不是本次观摩的打分人");
        }
        java.util.Optional<UUID> ownTown = KnownPerson.secretaryOf(scorer).or(() -> tokenTown);
        Map<String, ScoreSheets.Criterion> criteria = new HashMap<>();
        sheet.criteria().forEach(c -> criteria.put(c.code(), c));
        List<Map<String, String>> violations = new ArrayList<>();
        for (int i = 0; i < scores.size(); i++) {
            ScoreInput s = scores.get(i);
            ScoreSheets.Criterion c = criteria.get(s.criterion());
            if (c == null || c.computed() != null) {
                violations.add(Map.of("field", "[" + i + "].criterion", "message", "不是本评分表中需人工打分的评分项"));
            }
            if (s.value() == null || s.value().compareTo(BigDecimal.ZERO) < 0 || s.value().compareTo(BigDecimal.valueOf(100)) > 0) {
                violations.add(Map.of("field", "[" + i + "].value", "message", "须在 0 到 100 之间"));
            }
            if (s.townId() == null || KnownTown.findById(s.townId()) == null) {
                violations.add(Map.of("field", "[" + i + "].townId", "message", "未知的镇（街道）"));
            } else if (ownTown.filter(s.townId()::equals).isPresent()) {
                violations.add(Map.of("field", "[" + i + "].townId", "message", "您是该镇（街道）的党（工）委书记，不能为本镇打分"));
            }
        }
        if (!violations.isEmpty()) {
            throw Problems.unprocessable("部分分数无效，全部未记录").with("violations", violations);
        }
        for (ScoreInput s : scores) {
            em.createNativeQuery("insert into score (meeting_id, scorer_id, town_id, criterion, value, updated_at) values (?1, ?2, ?3, ?4, ?5, ?6) "
                            + "on conflict (meeting_id, scorer_id, town_id, criterion) do update set value = excluded.value, updated_at = excluded.updated_at")
                    .setParameter(1, m.id).setParameter(2, scorer).setParameter(3, s.townId()).setParameter(4, s.criterion())
                    .setParameter(5, s.value()).setParameter(6, Instant.now(clock)).executeUpdate();
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Ranking ranking(Meeting m) {
        if (isPublished(m.id)) {
            return frozen(m);
        }
        ScoreSheets.Sheet sheet = sheets.of(m.id);
        Map<String, BigDecimal> scores = new HashMap<>();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select scorer_id, town_id, criterion, value from score where meeting_id = ?1")
                .setParameter(1, m.id).getResultList();
        for (Object[] r : rows) {
            scores.put(r[0] + "|" + r[1] + "|" + r[2], (BigDecimal) r[3]);
        }
        List<Missing> missing = new ArrayList<>();
        List<Line> lines = new ArrayList<>();
        boolean computed = sheet.criteria().stream().anyMatch(c -> c.computed() != null);
        Map<UUID, BigDecimal> rates = computed ? onTimeRates(m) : Map.of();
        // a scorer who is a town's secretary does not score that town: the others' average stands for it
        Map<UUID, UUID> secretaryOf = new HashMap<>();
        sheet.scorers().forEach(s -> KnownPerson.secretaryOf(s).ifPresent(t -> secretaryOf.put(s, t)));
        for (KnownTown town : KnownTown.<KnownTown>listAll(Sort.by("code"))) {
            Map<String, BigDecimal> breakdown = new LinkedHashMap<>();
            Map<String, String> notes = new LinkedHashMap<>();
            boolean complete = true;
            BigDecimal weighted = BigDecimal.ZERO;
            BigDecimal weights = BigDecimal.ZERO;
            List<UUID> scorers = sheet.scorers().stream().filter(s -> !town.id.equals(secretaryOf.get(s))).toList();
            for (ScoreSheets.Criterion c : sheet.criteria()) {
                BigDecimal value;
                if (c.computed() != null) {
                    value = rates.get(town.id);
                    if (value == null && noTasks == NoTasks.EXCLUDE) {
                        notes.put(c.code(), "考核期内无到期的本星级任务，该项不计入（权重剔除）");
                        breakdown.put(c.code(), null);
                        continue;
                    }
                    if (value == null) {
                        value = BigDecimal.valueOf(100).setScale(2, RoundingMode.UNNECESSARY);
                        notes.put(c.code(), "考核期内无到期的本星级任务，按满分计");
                    }
                } else {
                    BigDecimal sum = BigDecimal.ZERO;
                    int n = 0;
                    for (UUID scorer : scorers) {
                        BigDecimal v = scores.get(scorer + "|" + town.id + "|" + c.code());
                        if (v == null) {
                            missing.add(new Missing(town.id, town.name, c.code(), scorer, "尚未打分"));
                        } else {
                            sum = sum.add(v);
                            n++;
                        }
                    }
                    value = n == scorers.size() && n > 0 ? sum.divide(BigDecimal.valueOf(n), 2, RoundingMode.HALF_UP) : null;
                    if (scorers.isEmpty()) {
                        missing.add(new Missing(town.id, town.name, c.code(), null, sheet.scorers().isEmpty() ? "评分表未指定打分人"
                                : "所有打分人都是该镇（街道）书记，无人可为其打分"));
                    }
                }
                breakdown.put(c.code(), value);
                if (value == null) {
                    complete = false;
                } else {
                    weighted = weighted.add(value.multiply(c.weight()));
                    weights = weights.add(c.weight());
                }
            }
            BigDecimal total = complete && weights.signum() > 0 ? weighted.divide(weights, 2, RoundingMode.HALF_UP) : null;
            lines.add(new Line(town.id, town.name, null, total, breakdown, complete && total != null, notes));
        }
        return new Ranking(m.id, m.star, false, rank(lines), missing, statements);
    }

    /** Orders complete lines by score, ties sharing a rank (1, 2, 2, 4); incomplete lines come last without a rank. */
    static List<Line> rank(List<Line> lines) {
        List<Line> complete = new ArrayList<>(lines.stream().filter(Line::complete).toList());
        complete.sort(Comparator.comparing(Line::score).reversed().thenComparing(Line::townName));
        List<Line> out = new ArrayList<>();
        for (int i = 0; i < complete.size(); i++) {
            Line l = complete.get(i);
            int rank = i > 0 && l.score().compareTo(complete.get(i - 1).score()) == 0 ? out.get(i - 1).rank() : i + 1;
            out.add(new Line(l.townId(), l.townName(), rank, l.score(), l.breakdown(), true, l.notes()));
        }
        lines.stream().filter(l -> !l.complete()).forEach(out::add);
        return out;
    }

    public Ranking publish(Meeting m, UUID actor) {
        if (m.type != Meeting.Type.OBSERVATION) {
            throw Problems.conflict("只有观摩会才排名");
        }
        if (isPublished(m.id)) {
            throw Problems.conflict("排名已经通报");
        }
        Ranking r = ranking(m);
        if (!r.missing().isEmpty()) {
            throw Problems.conflict(r.missing().size() + " 项分数缺失，打分齐全后才能通报排名")
                    .with("missing", r.missing());
        }
        if (r.lines().isEmpty()) {
            throw Problems.conflict("没有可排名的镇（街道）");
        }
        Instant now = Instant.now(clock);
        List<Map<String, Object>> published = new ArrayList<>();
        for (Line l : r.lines()) {
            em.createNativeQuery("insert into ranking_entry (meeting_id, town_id, town_name, star, rank, score, breakdown, published_at, notes) "
                            + "values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
                    .setParameter(1, m.id).setParameter(2, l.townId()).setParameter(3, l.townName()).setParameter(4, m.star)
                    .setParameter(5, l.rank()).setParameter(6, l.score()).setParameter(7, write(l.breakdown())).setParameter(8, now)
                    .setParameter(9, write(l.notes())).executeUpdate();
            published.add(Map.of("townId", l.townId(), "townName", l.townName(), "rank", l.rank(), "score", l.score()));
        }
        outbox.publish(Topics.REVIEW_EVENTS, "review.ranking-published.v1", m.id,
                Map.of("meetingId", m.id, "meetingTitle", m.title, "star", m.star, "rankings", published));
        // the lowest N towns (ties at the cut included) make a statement
        List<UUID> stating = lowest(r.lines(), statements);
        LocalDate due = LocalDate.now(clock.withZone(ZONE)).plusDays(7);
        for (Line l : r.lines()) {
            if (stating.contains(l.townId())) {
                Statement s = new Statement();
                s.id = UUID.randomUUID();
                s.meetingId = m.id;
                s.townId = l.townId();
                s.townName = l.townName();
                s.rank = l.rank();
                s.dueDate = due;
                s.persist();
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("meetingId", m.id);
                data.put("meetingTitle", m.title);
                data.put("statementId", s.id);
                data.put("townId", l.townId());
                data.put("townName", l.townName());
                data.put("rank", l.rank());
                data.put("secretaryId", null);
                data.put("dueDate", due);
                outbox.publish(Topics.REVIEW_EVENTS, "review.statement-required.v1", m.id, data);
            }
        }
        return frozen(m);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean isPublished(UUID meetingId) {
        return !em.createNativeQuery("select 1 from ranking_entry where meeting_id = ?1").setParameter(1, meetingId).setMaxResults(1)
                .getResultList().isEmpty();
    }

    /** A town's rank across published observations, optionally of one star. */
    @Transactional(Transactional.TxType.SUPPORTS)
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> history(String star) {
        List<Object[]> rows = em.createNativeQuery("select r.town_id, r.town_name, r.meeting_id, m.title, m.meeting_date, r.star, r.rank, r.score "
                        + "from ranking_entry r join meeting m on m.id = r.meeting_id where (cast(?1 as text) is null or r.star = cast(?1 as text)) "
                        + "order by r.town_name, m.meeting_date")
                .setParameter(1, star).getResultList();
        Map<UUID, Map<String, Object>> towns = new LinkedHashMap<>();
        for (Object[] r : rows) {
            Map<String, Object> town = towns.computeIfAbsent((UUID) r[0], id -> {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("townId", id);
                t.put("townName", r[1]);
                t.put("observations", new ArrayList<Map<String, Object>>());
                return t;
            });
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("meetingId", r[2]);
            o.put("title", r[3]);
            o.put("date", r[4].toString());
            o.put("star", r[5]);
            o.put("rank", r[6]);
            o.put("score", r[7]);
            ((List<Map<String, Object>>) town.get("observations")).add(o);
        }
        return new ArrayList<>(towns.values());
    }

    private Ranking frozen(Meeting m) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select town_id, town_name, rank, score, breakdown, notes from ranking_entry where meeting_id = ?1 "
                + "order by rank, town_name").setParameter(1, m.id).getResultList();
        List<Line> lines = new ArrayList<>();
        for (Object[] r : rows) {
            Map<String, String> notes = r[5] == null ? Map.of() : readNotes((String) r[5]);
            lines.add(new Line((UUID) r[0], (String) r[1], ((Number) r[2]).intValue(), (BigDecimal) r[3], read((String) r[4]), true, notes));
        }
        return new Ranking(m.id, m.star, true, lines, List.of(), statements);
    }

    /**
     * ON_TIME_RATE per town: of the town's tasks of the meeting's star due in the period (from the previous observation
     * of that star, its date included, to this one's date; two months without one), the share verified on time. A task
     * verified late, or still open past its due date, counts against it; a task not yet due, submitted and awaiting
     * verification, or cancelled is not counted. Towns with no counted task are absent (the caller states their value).
     */
    @SuppressWarnings("unchecked")
    Map<UUID, BigDecimal> onTimeRates(Meeting m) {
        LocalDate from = previousObservationDate(m).orElse(m.date.minusMonths(2));
        LocalDate today = LocalDate.now(clock.withZone(ZONE));
        List<Object[]> rows = em.createNativeQuery("select town_id, "
                        + "count(*) filter (where status = 'VERIFIED' and on_time is not false), "
                        + "count(*) filter (where (status = 'VERIFIED' and on_time = false) "
                        + "or (status not in ('SUBMITTED', 'VERIFIED', 'CANCELLED') and due_date < ?4)) "
                        + "from task_progress where town_id is not null and star = ?1 and due_date between ?2 and ?3 group by town_id")
                .setParameter(1, m.star).setParameter(2, from).setParameter(3, m.date).setParameter(4, today).getResultList();
        Map<UUID, BigDecimal> rates = new HashMap<>();
        for (Object[] r : rows) {
            long good = ((Number) r[1]).longValue();
            long bad = ((Number) r[2]).longValue();
            if (good + bad > 0) {
                rates.put((UUID) r[0], BigDecimal.valueOf(good * 100.0 / (good + bad)).setScale(2, RoundingMode.HALF_UP));
            }
        }
        return rates;
    }

    private java.util.Optional<LocalDate> previousObservationDate(Meeting m) {
        return Meeting.<Meeting>find("type = ?1 and star = ?2 and id <> ?3 and (date < ?4 or (date = ?4 and createdAt < ?5)) order by date desc, createdAt desc",
                m.type, m.star, m.id, m.date, m.createdAt).firstResultOptional().map(p -> p.date);
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, String> readNotes(String s) {
        try {
            return json.readValue(s, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, BigDecimal> read(String s) {
        try {
            return json.readValue(s, new TypeReference<LinkedHashMap<String, BigDecimal>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

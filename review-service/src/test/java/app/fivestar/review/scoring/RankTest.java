package app.fivestar.review.scoring;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Ranking with ties and missing scores, without Quarkus (打分排序). */
class RankTest {

    static Rankings.Line line(String town, String score) {
        return new Rankings.Line(UUID.randomUUID(), town, null, score == null ? null : new BigDecimal(score), Map.of(), score != null, Map.of());
    }

    @Test
    void tiesShareARankAndTheNextRankSkips() {
        List<Rankings.Line> ranked = Rankings.rank(List.of(line("丙镇", "88.50"), line("甲镇", "92.00"), line("乙镇", "88.50"), line("丁镇", "70.25")));
        assertEquals(List.of("甲镇", "丙镇", "乙镇", "丁镇"), ranked.stream().map(Rankings.Line::townName).toList(), "ties by name");
        assertEquals(List.of(1, 2, 2, 4), ranked.stream().map(Rankings.Line::rank).toList());
    }

    @Test
    void equalScoresWrittenDifferentlyAreATie() {
        List<Rankings.Line> ranked = Rankings.rank(List.of(line("甲镇", "90.0"), line("乙镇", "90.00")));
        assertEquals(List.of(1, 1), ranked.stream().map(Rankings.Line::rank).toList());
    }

    @Test
    void aTownWithMissingScoresHasNoRankAndComesLastNotAsZero() {
        List<Rankings.Line> ranked = Rankings.rank(List.of(line("甲镇", null), line("乙镇", "10.00"), line("丙镇", "0.00")));
        assertEquals(List.of("乙镇", "丙镇", "甲镇"), ranked.stream().map(Rankings.Line::townName).toList());
        assertEquals(java.util.Arrays.asList(1, 2, null), ranked.stream().map(Rankings.Line::rank).toList());
    }
}

package app.fivestar.task.task;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** ISO weeks as the campaign writes them: {@code 2026-W48}. */
public final class Weeks {

    private static final Pattern WEEK = Pattern.compile("^([0-9]{4})-W([0-9]{2})$");

    private Weeks() {
    }

    /** The Monday of the week, or empty when the text is not a real ISO week. */
    public static Optional<LocalDate> monday(String week) {
        if (week == null) {
            return Optional.empty();
        }
        Matcher m = WEEK.matcher(week);
        if (!m.matches()) {
            return Optional.empty();
        }
        int year = Integer.parseInt(m.group(1));
        int number = Integer.parseInt(m.group(2));
        LocalDate jan4 = LocalDate.of(year, 1, 4);
        long weeks = jan4.range(IsoFields.WEEK_OF_WEEK_BASED_YEAR).getMaximum();
        if (number < 1 || number > weeks) {
            return Optional.empty();
        }
        return Optional.of(jan4.with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, number).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)));
    }

    public static String of(LocalDate date) {
        return String.format("%04d-W%02d", date.get(IsoFields.WEEK_BASED_YEAR), date.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }

    public static String next(String week) {
        return of(monday(week).orElseThrow().plusWeeks(1));
    }
}

package app.fivestar.local;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * People here read Chinese: every problem detail, violation or row-error message the services and the front door
 * write is Chinese. A plain scan of the sources (no servers): the words passed to problem details (Problems.*,
 * new ProblemException, the front door's Problems.send), to violations ("message", …, constraint messages) and to
 * import row errors (new RowError) may not be English prose. Slugs, field names and header names (no spaces) are programs' words and
 * stay English. The services' API tests check the Chinese details they answer.
 */
class ChineseWordsTest {

    static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    static final Pattern SPEAKS = Pattern.compile("Problems\\.\\w+\\(|ProblemException\\(|\"message\",\\s|new RowError\\(|\\bviolation\\(|\\bproblem\\("
            + "|\\brefused\\(|add\\(violations,|message = \"|InvalidFormatException\\.from\\(");
    static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
    static final Pattern ENGLISH_PROSE = Pattern.compile("[A-Za-z]{3,}[^\"]*\\s|\\s[^\"]*[A-Za-z]{3,}");
    static final Pattern CHINESE = Pattern.compile("\\p{IsHan}");

    @Test
    void everyMessageForPeopleIsChinese() throws IOException {
        List<String> english = new ArrayList<>();
        for (String module : List.of("platform", "task-service", "review-service", "notification-service", "web")) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    List<String> lines = Files.readAllLines(file);
                    for (int i = 0; i < lines.size(); i++) {
                        if (!SPEAKS.matcher(lines.get(i)).find() || lines.get(i).strip().startsWith("*") || lines.get(i).contains("static ProblemException")) {
                            continue;
                        }
                        // the statement: this line and the ones continuing it
                        StringBuilder statement = new StringBuilder(lines.get(i));
                        for (int j = i + 1; j < lines.size() && j <= i + 3 && !statement.toString().strip().endsWith(";")
                                && !statement.toString().strip().endsWith("{"); j++) {
                            statement.append(' ').append(lines.get(j).strip());
                        }
                        Matcher m = LITERAL.matcher(statement);
                        while (m.find()) {
                            String text = m.group(1);
                            if (ENGLISH_PROSE.matcher(text).find() && !CHINESE.matcher(text).find()) {
                                english.add(ROOT.relativize(file) + ":" + (i + 1) + " \"" + text + "\"");
                            }
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), english, "English words for people");
    }
}

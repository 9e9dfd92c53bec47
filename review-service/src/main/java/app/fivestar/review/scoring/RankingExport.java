package app.fivestar.review.scoring;

import app.fivestar.platform.words.Labels;
import app.fivestar.review.meeting.Meeting;
import app.fivestar.review.meeting.Statement;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A published ranking as a spreadsheet and as a printable page in Chinese. */
public final class RankingExport {

    private RankingExport() {
    }

    /** The download's name: the meeting's title and date, e.g. 生态宜居星观摩-2026-11-28-打分排序.xlsx (RFC 6266 / 5987). */
    public static String attachment(Meeting m) {
        String name = m.title.replaceAll("[\\\\/:*?\"<>|\\p{Cntrl}]", "_") + "-" + m.date + "-打分排序.xlsx";
        return "attachment; filename=\"ranking-" + m.date + ".xlsx\"; filename*=UTF-8''" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public static byte[] xlsx(Meeting m, Rankings.Ranking r, List<ScoreSheets.Criterion> criteria, List<Statement> required) {
        try (XSSFWorkbook wb = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            Sheet sheet = wb.createSheet("打分排序");
            Row title = sheet.createRow(0);
            title.createCell(0).setCellValue(m.title + "（" + m.date + (m.star == null ? "" : "，" + Labels.star(m.star)) + "）打分排序结果");
            Row head = sheet.createRow(1);
            head.createCell(0).setCellValue("名次");
            head.createCell(1).setCellValue("镇（街道）");
            head.createCell(2).setCellValue("总分");
            for (int i = 0; i < criteria.size(); i++) {
                head.createCell(3 + i).setCellValue(criteria.get(i).name() + "（权重" + criteria.get(i).weight().stripTrailingZeros().toPlainString() + "）");
            }
            int row = 2;
            for (Rankings.Line l : r.lines()) {
                Row x = sheet.createRow(row++);
                x.createCell(0).setCellValue(l.rank());
                x.createCell(1).setCellValue(l.townName());
                x.createCell(2).setCellValue(l.score().doubleValue());
                for (int i = 0; i < criteria.size(); i++) {
                    BigDecimal v = l.breakdown().get(criteria.get(i).code());
                    x.createCell(3 + i).setCellValue(v == null ? 0 : v.doubleValue());
                }
            }
            // readable widths: rank narrow, town names and criterion headings wide enough for their Chinese text
            sheet.setColumnWidth(0, 8 * 256);
            sheet.setColumnWidth(1, 22 * 256);
            sheet.setColumnWidth(2, 12 * 256);
            for (int i = 0; i < criteria.size(); i++) {
                sheet.setColumnWidth(3 + i, Math.max(14, criteria.get(i).name().length() * 2 + 8) * 256);
            }
            row++;
            sheet.createRow(row++).createCell(0).setCellValue("须作表态发言的镇（街道）：" + (required.isEmpty() ? "无"
                    : String.join("、", required.stream().map(st -> st.townName + "（第" + st.rank + "名）").toList())));
            wb.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The 通报 to hand out: an A4 page with the issuing office's red title line (红头), the ranking table, the towns that
     * must make a statement, and the issuing date.
     */
    public static String html(Meeting m, Rankings.Ranking r, List<ScoreSheets.Criterion> criteria, List<Statement> required, String issuer,
                              java.time.LocalDate issuedOn) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(m.title)).append(" 打分排序通报</title><style>@page{size:A4;margin:18mm 16mm}"
                        + "body{font-family:'Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Zen Hei','Microsoft YaHei',sans-serif;margin:2em}"
                        + ".issuer{color:#c00;font-size:26px;font-weight:bold;text-align:center;letter-spacing:2px;margin:0}"
                        + ".rule{border:0;border-top:3px solid #c00;margin:8px 0 18px}h1{text-align:center;font-size:22px}"
                        + ".date{text-align:right;margin-top:2em}"
                        + "table{border-collapse:collapse;width:100%}th,td{border:1px solid #333;padding:4px 8px;text-align:center}"
                        + "@media print{button{display:none}body{margin:0}}</style></head><body>")
                .append("<p class=\"issuer\">").append(esc(issuer)).append("</p><hr class=\"rule\">")
                .append("<h1>").append(esc(m.title)).append(" 打分排序通报</h1><p>观摩日期：").append(m.date)
                .append(m.star == null ? "" : "　观摩星级：" + esc(Labels.star(m.star))).append("</p><table><thead><tr><th>名次</th><th>镇（街道）</th><th>总分</th>");
        for (ScoreSheets.Criterion c : criteria) {
            h.append("<th>").append(esc(c.name())).append("<br>权重 ").append(c.weight().stripTrailingZeros().toPlainString()).append("</th>");
        }
        h.append("</tr></thead><tbody>");
        for (Rankings.Line l : r.lines()) {
            h.append("<tr><td>").append(l.rank()).append("</td><td>").append(esc(l.townName())).append("</td><td>").append(l.score().toPlainString()).append("</td>");
            for (ScoreSheets.Criterion c : criteria) {
                BigDecimal v = l.breakdown().get(c.code());
                h.append("<td>").append(v == null ? "—" : v.toPlainString()).append("</td>");
            }
            h.append("</tr>");
        }
        h.append("</tbody></table><h2>表态发言</h2>");
        if (required.isEmpty()) {
            h.append("<p>本次无须作表态发言的镇（街道）。</p>");
        } else {
            h.append("<p>以下排名靠后的镇（街道）党（工）委书记须作表态发言：</p><ul class=\"statements\">");
            for (Statement st : required) {
                h.append("<li>").append(esc(st.townName)).append("（第 ").append(st.rank).append(" 名）")
                        .append(st.dueDate == null ? "" : "，请于 " + st.dueDate + " 前完成").append("</li>");
            }
            h.append("</ul>");
        }
        h.append("<p class=\"date\">").append(esc(issuer)).append("<br>").append(issuedOn.getYear()).append("年").append(issuedOn.getMonthValue())
                .append("月").append(issuedOn.getDayOfMonth()).append("日</p>");
        return h.append("<button onclick=\"window.print()\">打印</button></body></html>").toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

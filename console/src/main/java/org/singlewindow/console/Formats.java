package org.singlewindow.console;

import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;

/** Times for the pages: China Standard Time (the time of the customs' records), formatted for the page's language. */
@Component("formats")
public class Formats {

    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    public String time(OffsetDateTime time) {
        if (time == null) {
            return "";
        }
        return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM).withLocale(LocaleContextHolder.getLocale())
                .format(time.atZoneSameInstant(CHINA));
    }

    /** An amount in yuan, as the page's language writes money ({@code ¥600.00}, {@code CN¥600.00}). */
    public String money(java.math.BigDecimal amount) {
        if (amount == null) {
            return "";
        }
        java.text.NumberFormat format = java.text.NumberFormat.getCurrencyInstance(LocaleContextHolder.getLocale());
        format.setCurrency(java.util.Currency.getInstance("CNY"));
        return format.format(amount);
    }

    public String money(tools.jackson.databind.JsonNode amount) {
        return amount == null || !amount.isNumber() ? "" : money(amount.decimalValue());
    }

    /** A JSON array of words, as one line ({@code receipt, status}). */
    public String joined(tools.jackson.databind.JsonNode words) {
        java.util.List<String> out = new java.util.ArrayList<>();
        words.forEach(w -> out.add(w.asString()));
        return String.join(", ", out);
    }

    /** The first line of a long text (an error with its stack trace), cut at {@code max} characters. */
    public String firstLine(String text, int max) {
        if (text == null) {
            return "";
        }
        String line = text.strip().lines().findFirst().orElse("");
        int at = line.indexOf(" at ");
        if (at > 0) {
            line = line.substring(0, at);
        }
        return line.length() <= max ? line : line.substring(0, max) + "…";
    }

    /** How long something has waited: days, hours and minutes, in the page's language. */
    public String age(long seconds) {
        long minutes = Math.max(0, seconds) / 60;
        long days = minutes / 1440;
        long hours = minutes % 1440 / 60;
        long rest = minutes % 60;
        boolean chinese = LocaleContextHolder.getLocale().getLanguage().equals("zh");
        StringBuilder out = new StringBuilder();
        if (days > 0) {
            out.append(days).append(chinese ? "天" : " d ");
        }
        if (days > 0 || hours > 0) {
            out.append(hours).append(chinese ? "小时" : " h ");
        }
        return out.append(rest).append(chinese ? "分钟" : " min").toString().strip();
    }

    public String time(String iso) {
        return iso == null || iso.isBlank() ? "" : time(OffsetDateTime.parse(iso));
    }
}

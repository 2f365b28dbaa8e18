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

    public String time(String iso) {
        return iso == null || iso.isBlank() ? "" : time(OffsetDateTime.parse(iso));
    }
}

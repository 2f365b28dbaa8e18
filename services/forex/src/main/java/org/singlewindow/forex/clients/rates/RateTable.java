package org.singlewindow.forex.clients.rates;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A day's rate table from the provider: {@code rates} maps ISO 4217 codes to units of that currency per
 * one unit of {@code base} (USD), e.g. {@code "CNY": 7.1012}.
 */
public record RateTable(String base, LocalDate date, OffsetDateTime publishedAt, Map<String, BigDecimal> rates) {

    /** What is wrong with the table (empty when it can be used). */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (!"USD".equals(base)) {
            problems.add("base must be USD, was " + base);
        }
        if (date == null || publishedAt == null) {
            problems.add("date and publishedAt are required");
        }
        if (rates == null || rates.isEmpty()) {
            problems.add("rates are required");
        } else {
            rates.forEach((code, rate) -> {
                if (code == null || !code.matches("[A-Z]{3}") || rate == null || rate.signum() <= 0) {
                    problems.add("rate of '" + code + "' must be a positive number under an ISO 4217 code");
                }
            });
        }
        return problems;
    }
}

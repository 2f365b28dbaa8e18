package org.singlewindow.forex.rates;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.singlewindow.forex.ForexProperties;
import org.singlewindow.kit.PeriodicWork;
import org.singlewindow.forex.clients.rates.RateFeed;
import org.singlewindow.forex.clients.rates.RateTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The day's US-dollar rates, from the external provider through the rate feed's retry and circuit
 * breaker. The last good table is kept and used while it is younger than {@code max-age} (counted from
 * when the provider published it); fetched ahead of need every {@code refresh}, and at once when a
 * decision finds no fresh table. A table that is malformed or already stale never replaces a good one.
 * When no fresh table can be had, {@link #usdRate} answers empty and the decision is deferred — a
 * payment is never approved on a guessed rate.
 */
@Component
public class ExchangeRates extends PeriodicWork {

    private static final Logger log = LoggerFactory.getLogger(ExchangeRates.class);

    /** A rate for one currency: units per US dollar, from the table of {@code date}. */
    public record Quote(String currency, BigDecimal unitsPerUsd, LocalDate date, OffsetDateTime publishedAt) {
    }

    /** The outcome of asking for a rate. */
    public sealed interface Answer {
        record Rate(Quote quote) implements Answer {
        }

        /** A fresh table does not quote the currency. */
        record NotQuoted(String currency, LocalDate date) implements Answer {
        }

        /** No fresh table is to be had now: why. */
        record Unavailable(String reason) implements Answer {
        }
    }

    private final RateFeed feed;
    private final CircuitBreaker breaker;
    private final Retry retry;
    private final ForexProperties.Rates settings;
    private final Clock clock;
    private final AtomicReference<RateTable> lastGood = new AtomicReference<>();
    private final AtomicReference<String> lastFailure = new AtomicReference<>("no rate table fetched yet");

    @Autowired
    public ExchangeRates(RateFeed feed, CircuitBreaker rateFeedBreaker, Retry rateFeedRetry, ForexProperties properties,
                         MeterRegistry meters) {
        this(feed, rateFeedBreaker, rateFeedRetry, properties, meters, Clock.systemUTC());
    }

    ExchangeRates(RateFeed feed, CircuitBreaker breaker, Retry retry, ForexProperties properties, MeterRegistry meters,
                  Clock clock) {
        this.feed = feed;
        this.breaker = breaker;
        this.retry = retry;
        this.settings = properties.rates();
        this.clock = clock;
        Gauge.builder("sw.forex.rates.age", this, r -> r.ageSeconds().orElse(Double.NaN)).baseUnit("seconds")
                .description("Age of the rate table in use, since the provider published it").register(meters);
        every(settings.refresh(), Duration.ZERO, "refreshing the exchange rates", () -> refresh(false));
    }

    /** Units of {@code currency} per US dollar from a fresh table, fetching one first if need be. */
    public Answer usdRate(String currency) {
        RateTable table = fresh().orElse(null);
        if (table == null) {
            refresh(true);
            table = fresh().orElse(null);
        }
        if (table == null) {
            return new Answer.Unavailable(lastFailure.get());
        }
        BigDecimal rate = "USD".equals(currency) ? BigDecimal.ONE : table.rates().get(currency);
        return rate == null ? new Answer.NotQuoted(currency, table.date())
                : new Answer.Rate(new Quote(currency, rate, table.date(), table.publishedAt()));
    }

    private Optional<RateTable> fresh() {
        RateTable table = lastGood.get();
        return table != null && isFresh(table) ? Optional.of(table) : Optional.empty();
    }

    private boolean isFresh(RateTable table) {
        return Duration.between(table.publishedAt(), OffsetDateTime.now(clock)).compareTo(settings.maxAge()) <= 0;
    }

    private Optional<Double> ageSeconds() {
        RateTable table = lastGood.get();
        return table == null ? Optional.empty()
                : Optional.of((double) Duration.between(table.publishedAt(), OffsetDateTime.now(clock)).toSeconds());
    }

    /**
     * Fetch the table now, one caller at a time. {@code onlyIfStale}: a decision that found no fresh table
     * skips the call if another caller fetched one meanwhile.
     */
    public synchronized void refresh(boolean onlyIfStale) {
        if (onlyIfStale && fresh().isPresent()) {
            return;
        }
        RateTable table;
        try {
            table = Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(breaker, () -> fetchChecked())).get();
        } catch (CallNotPermittedException e) {
            lastFailure.set("the rate feed's circuit breaker is open after repeated failures");
            return;
        } catch (RuntimeException e) {
            lastFailure.set("the rate feed failed: " + e.getMessage());
            log.warn("rate feed failed after {} attempt(s): {}", settings.retryAttempts(), e.toString());
            return;
        }
        if (!isFresh(table)) {
            lastFailure.set("the rate feed's table of " + table.date() + " (published " + table.publishedAt()
                    + ") is older than " + settings.maxAge());
            return;
        }
        RateTable current = lastGood.get();
        if (current == null || !table.publishedAt().isBefore(current.publishedAt())) {
            lastGood.set(table);
        }
    }

    private RateTable fetchChecked() {
        RateTable table = feed.rates("USD");
        if (table == null || !table.problems().isEmpty()) {
            throw new IllegalStateException("malformed rate table: " + (table == null ? "empty" : table.problems()));
        }
        return table;
    }

    /** State of the breaker, for the back-office and tests. */
    public CircuitBreaker.State breakerState() {
        return breaker.getState();
    }
}

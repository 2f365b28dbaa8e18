package org.singlewindow.agency;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * How an agency follows up its decisions ({@code sw.decision.*}).
 *
 * @param retryInitial     pause before a deferred decision is asked again; doubles each time
 * @param retryMax         longest pause between two attempts (a deferral is retried until it is decided)
 * @param retryPoll        how often deferred decisions that are due are looked for
 * @param holdOverdueAfter a declaration held (manual review, inspection) longer than this is overdue
 * @param watchInterval    how often the hold and deferral gauges are refreshed
 * @param holdExpiresAfter a hold no officer decided within this time is rejected ({@code HOLD_EXPIRED}), which
 *                         releases what the declaration reserved everywhere — so that a hostile filer cannot
 *                         freeze a person's yearly quota with an order held for review; {@code 0} never
 */
@ConfigurationProperties("sw.decision")
public record DecisionProperties(Duration retryInitial, Duration retryMax, Duration retryPoll, Duration holdOverdueAfter,
                                 Duration watchInterval, Duration holdExpiresAfter) {

    public DecisionProperties {
        retryInitial = retryInitial != null ? retryInitial : Duration.ofSeconds(5);
        retryMax = retryMax != null ? retryMax : Duration.ofMinutes(5);
        retryPoll = retryPoll != null ? retryPoll : Duration.ofSeconds(2);
        holdOverdueAfter = holdOverdueAfter != null ? holdOverdueAfter : Duration.ofHours(4);
        watchInterval = watchInterval != null ? watchInterval : Duration.ofSeconds(15);
        holdExpiresAfter = holdExpiresAfter != null ? holdExpiresAfter : Duration.ofHours(72);
    }
}

package org.singlewindow.declaration.intake;

import io.micrometer.core.instrument.MeterRegistry;
import org.singlewindow.contract.Declaration;

/**
 * What flows through the window, for the trade analytics dashboard: goods lines and their declared
 * value by origin country and HS chapter ({@code sw.trade.items}, {@code sw.trade.value}, in the
 * item's currency). The tags are bounded: ISO countries, 97 HS chapters, a handful of currencies.
 */
final class TradeFigures {

    private TradeFigures() {
    }

    static void count(MeterRegistry meters, Declaration declaration) {
        for (Declaration.Item item : declaration.items()) {
            String chapter = item.hsCode().substring(0, 2);
            String currency = item.currency() == null ? declaration.order().currency() : item.currency();
            meters.counter("sw.trade.items", "country", item.originCountry(), "chapter", chapter).increment();
            meters.counter("sw.trade.value", "country", item.originCountry(), "chapter", chapter, "currency", currency)
                    .increment(item.totalPrice().doubleValue());
        }
    }
}

package org.singlewindow.logistics.stock;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.singlewindow.kit.PeriodicWork;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * Bonded stock levels as gauges ({@code sw.stock.on.hand}, {@code sw.stock.reserved} by warehouse and
 * item), refreshed every {@code sw.logistics.stock-gauge-interval}; at most the 500 largest accounts,
 * so a big catalogue cannot flood the metrics.
 */
@Component
class StockGauges extends PeriodicWork {

    private final JdbcClient jdbc;
    private final MultiGauge onHand;
    private final MultiGauge reserved;

    StockGauges(JdbcClient jdbc, MeterRegistry meters, @Value("${sw.logistics.stock-gauge-interval:30s}") Duration interval) {
        this.jdbc = jdbc;
        this.onHand = MultiGauge.builder("sw.stock.on.hand").description("Units in the bonded warehouse account").register(meters);
        this.reserved = MultiGauge.builder("sw.stock.reserved").description("Units pre-deducted by declarations not yet final")
                .register(meters);
        every(interval, Duration.ZERO, "refreshing the stock gauges", this::refresh);
    }

    void refresh() {
        record Row(String warehouseCode, String itemRecordNo, BigDecimal onHand, BigDecimal reserved) {
        }
        List<Row> rows = jdbc.sql("""
                        select warehouse_code, item_record_no, on_hand, reserved from stock_account
                        order by on_hand desc limit 500""")
                .query(Row.class).list();
        onHand.register(rows.stream().map(r -> MultiGauge.Row.of(Tags.of("warehouse", r.warehouseCode(), "item", r.itemRecordNo()),
                r.onHand().doubleValue())).toList(), true);
        reserved.register(rows.stream().map(r -> MultiGauge.Row.of(Tags.of("warehouse", r.warehouseCode(), "item", r.itemRecordNo()),
                r.reserved().doubleValue())).toList(), true);
    }
}

package org.singlewindow.tax.period;

import org.singlewindow.kit.PeriodicWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.List;

/** Closes the tax period every {@code sw.tax.period-check} (an hour): due declarations onto their agents' statements. */
@Component
class TaxPeriodWork extends PeriodicWork {

    private static final Logger log = LoggerFactory.getLogger(TaxPeriodWork.class);

    TaxPeriodWork(TaxStatements statements, TransactionTemplate tx, @Value("${sw.tax.period-check:PT1H}") Duration every) {
        every(every, Duration.ofMinutes(1), "closing the tax period", () -> {
            List<String> issued = tx.execute(status -> statements.close());
            if (issued != null && !issued.isEmpty()) {
                log.info("tax statements issued: {}", issued);
            }
        });
    }
}

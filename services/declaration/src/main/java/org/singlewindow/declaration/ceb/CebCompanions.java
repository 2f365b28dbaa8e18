package org.singlewindow.declaration.ceb;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.singlewindow.kit.PeriodicWork;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Returns the CEB621 lists whose order's other documents did not come within {@code sw.ceb.companions-within}
 * (24 hours), as customs returns a list (100) it cannot match with its order, payment and waybill.
 */
@Component
class CebCompanions extends PeriodicWork {

    CebCompanions(CebFiling filing, MeterRegistry meters,
                  @Value("${sw.ceb.companions-within:PT24H}") Duration within,
                  @Value("${sw.ceb.companions-check:PT1M}") Duration check) {
        Counter returned = Counter.builder("sw.ceb.lists.returned")
                .description("CEB621 lists returned because their order's other documents did not come in time").register(meters);
        every(check, check, "returning CEB lists whose companions did not come",
                () -> returned.increment(filing.returnOverdueLists(OffsetDateTime.now(ZoneOffset.UTC).minus(within))));
    }
}

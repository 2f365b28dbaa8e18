package org.singlewindow.tax.assessment;

import org.singlewindow.contract.Declaration;
import org.singlewindow.contract.reference.TariffTable;
import org.singlewindow.kit.reference.ReferenceData;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Assesses declarations and draft orders with the tariff in force. */
@Component
public class Assessor {

    private final ReferenceData<TariffTable> tariff;

    public Assessor(ReferenceData<TariffTable> tariff) {
        this.tariff = tariff;
    }

    public String tariffVersion() {
        return tariff.current().info().version();
    }

    public ComprehensiveTax.Assessment assess(List<ComprehensiveTax.Line> lines, BigDecimal freight, BigDecimal insurance) {
        return new ComprehensiveTax(tariff.get()).assess(lines, freight, insurance);
    }

    /** The declaration's items, freight (the order's) and insurance (the waybill's). */
    public ComprehensiveTax.Assessment assess(Declaration d) {
        List<ComprehensiveTax.Line> lines = new ArrayList<>();
        for (Declaration.Item item : d.items()) {
            lines.add(new ComprehensiveTax.Line(item.gnum(), item.hsCode(), item.quantity(), item.unit(), item.qty1(), item.unit1(),
                    item.qty2(), item.unit2(), item.unitPrice(), item.totalPrice()));
        }
        BigDecimal insurance = d.logistics() == null ? BigDecimal.ZERO : d.logistics().insuredFee();
        return assess(lines, d.order().freight(), insurance);
    }
}

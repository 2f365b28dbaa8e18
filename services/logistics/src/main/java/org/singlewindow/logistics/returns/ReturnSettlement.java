package org.singlewindow.logistics.returns;

import org.singlewindow.contract.DeclarationReturnRefused;
import org.singlewindow.contract.DeclarationReturned;
import org.singlewindow.contract.ReturnLine;
import org.singlewindow.agency.Settlement;
import org.singlewindow.kit.messaging.NonRetryableMessageException;
import org.singlewindow.logistics.stock.BondedStock;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.UUID;

/**
 * What customs' check of returned goods means for the bonded accounts: accepted ({@code declaration.returned.v1}),
 * the returned quantities go back on the accounts they left with the declaration (movement {@code RETURN}; a direct
 * import's goods were on none); refused
 * ({@code declaration.return-refused.v1}), the return is closed and nothing goes back.
 */
@Component
public class ReturnSettlement {

    /** The bonded account a declaration's item left. */
    record Origin(String warehouseCode, String ownerCode) {
    }

    private final JdbcClient jdbc;
    private final BondedStock stock;

    ReturnSettlement(JdbcClient jdbc, BondedStock stock) {
        this.jdbc = jdbc;
        this.stock = stock;
    }

    static Optional<Origin> origin(JdbcClient jdbc, UUID declarationId, String itemRecordNo) {
        return jdbc.sql("""
                        select warehouse_code, owner_code from stock_reservation
                        where declaration_id = ? and item_record_no = ? and state = 'DEDUCTED'""")
                .params(declarationId, itemRecordNo).query(Origin.class).optional();
    }

    /**
     * Customs accepted the returned goods: back on the owner's accounts; at most once per return (the kit sees to it). A
     * direct import's goods (9610) were on no bonded account: they are back at the supervised site, nothing to restock.
     */
    public Settlement accepted(DeclarationReturned returned) {
        boolean direct = jdbc.sql("select coalesce(bool_or(direct_import), false) from waybill where declaration_id = ?")
                .param(returned.declarationId()).query(Boolean.class).single();
        if (direct) {
            jdbc.sql("update goods_return set state = 'RECEIVED', received_at = ? where return_id = ?")
                    .params(returned.receivedAt(), returned.returnId()).update();
            return new Settlement("GOODS_AT_SITE", "the returned goods of a direct import were accepted by customs at the "
                    + "supervised site; they were on no bonded account");
        }
        BigDecimal total = BigDecimal.ZERO;
        for (ReturnLine line : returned.lines()) {
            Origin origin = origin(jdbc, returned.declarationId(), line.itemRecordNo()).orElseThrow(() ->
                    new NonRetryableMessageException("item " + line.itemRecordNo() + " of return " + returned.returnId()
                            + " did not leave a bonded account of this zone with its declaration"));
            stock.returnGoods(new BondedStock.Account(origin.warehouseCode(), origin.ownerCode(), line.itemRecordNo()),
                    line.quantity(), returned.declarationId(), returned.receivedAt());
            total = total.add(line.quantity());
        }
        jdbc.sql("update goods_return set state = 'RECEIVED', received_at = ? where return_id = ?")
                .params(returned.receivedAt(), returned.returnId()).update();
        return new Settlement("STOCK_RETURNED", total.stripTrailingZeros().toPlainString()
                + " returned unit(s) accepted by customs and back on the owner's bonded account(s)");
    }

    /** Customs refused the return (its application, or its goods on arrival): no longer expected, nothing goes back. */
    public void refused(DeclarationReturnRefused refused) {
        jdbc.sql("""
                        update goods_return set state = 'REFUSED', refused_at = ?, refusal = ?
                        where return_id = ? and state in ('PENDING', 'ARRIVED')""")
                .params(refused.refusedAt(), refused.reason(), refused.returnId()).update();
    }
}

package org.singlewindow.logistics.stock;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The bonded warehouse accounts, one per warehouse, owner (the e-commerce enterprise whose goods they
 * are) and item record. Every operation locks the accounts it touches ({@code select ... for update})
 * in one order — warehouse, owner, item — so concurrent declarations queue up on the last units
 * instead of overselling, and no two operations deadlock. Must run inside the caller's transaction.
 */
@Component
public class BondedStock {

    /** A warehouse account: an owner's goods of one item record in one warehouse. */
    public record Account(String warehouseCode, String ownerCode, String itemRecordNo) implements Comparable<Account> {
        private static final Comparator<Account> ORDER = Comparator.comparing(Account::warehouseCode)
                .thenComparing(Account::ownerCode).thenComparing(Account::itemRecordNo);

        @Override
        public int compareTo(Account other) {
            return ORDER.compare(this, other);
        }
    }

    /** An account's levels. */
    public record Level(String warehouseCode, String ownerCode, String itemRecordNo, BigDecimal onHand, BigDecimal reserved,
                        BigDecimal available, OffsetDateTime updatedAt) {
    }

    /** What a declaration asks of one account and what it lacks. */
    public record Shortfall(Account account, BigDecimal requested, BigDecimal available, BigDecimal shortfall) {
    }

    private final JdbcClient jdbc;

    public BondedStock(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Goods enter the zone. Creates the account if new. */
    public void stockIn(Account account, BigDecimal quantity, UUID stockInId, String batchNo, OffsetDateTime at) {
        jdbc.sql("""
                        insert into stock_account (warehouse_code, owner_code, item_record_no, on_hand, reserved, updated_at)
                        values (?, ?, ?, ?, 0, ?)
                        on conflict (warehouse_code, owner_code, item_record_no)
                        do update set on_hand = stock_account.on_hand + excluded.on_hand, updated_at = excluded.updated_at""")
                .params(account.warehouseCode(), account.ownerCode(), account.itemRecordNo(), quantity, at).update();
        movement(account, "STOCK_IN", quantity, null, stockInId, batchNo, at);
    }

    /**
     * Pre-deduct what a declaration needs (quantities of one account summed). All or nothing: if any
     * account is short, nothing is reserved and the shortfalls are returned.
     */
    public List<Shortfall> preDeduct(UUID declarationId, Map<Account, BigDecimal> wanted, OffsetDateTime at) {
        TreeMap<Account, BigDecimal> ordered = new TreeMap<>(wanted);
        List<Shortfall> shortfalls = new ArrayList<>();
        for (var line : ordered.entrySet()) {
            BigDecimal available = lock(line.getKey()).map(Level::available).orElse(BigDecimal.ZERO);
            if (available.compareTo(line.getValue()) < 0) {
                shortfalls.add(new Shortfall(line.getKey(), line.getValue(), available, line.getValue().subtract(available)));
            }
        }
        if (!shortfalls.isEmpty()) {
            return shortfalls;
        }
        for (var line : ordered.entrySet()) {
            Account a = line.getKey();
            jdbc.sql("""
                            update stock_account set reserved = reserved + ?, updated_at = ?
                            where warehouse_code = ? and owner_code = ? and item_record_no = ?""")
                    .params(line.getValue(), at, a.warehouseCode(), a.ownerCode(), a.itemRecordNo()).update();
            jdbc.sql("""
                            insert into stock_reservation (declaration_id, warehouse_code, owner_code, item_record_no, quantity,
                                state, reserved_at)
                            values (?, ?, ?, ?, ?, 'RESERVED', ?)""")
                    .params(declarationId, a.warehouseCode(), a.ownerCode(), a.itemRecordNo(), line.getValue(), at).update();
            movement(a, "PRE_DEDUCT", line.getValue(), declarationId, null, null, at);
        }
        return List.of();
    }

    /** Cleared and released: the pre-deducted goods leave the zone. Returns the quantity deducted. */
    public BigDecimal deduct(UUID declarationId, OffsetDateTime at) {
        return settle(declarationId, "RESERVED", "DEDUCTED", "DEDUCT", at);
    }

    /** Rejected or cancelled: the pre-deducted goods are available again. Returns the quantity restored. */
    public BigDecimal restore(UUID declarationId, OffsetDateTime at) {
        return settle(declarationId, "RESERVED", "RESTORED", "RESTORE", at);
    }

    /**
     * Withdrawn after release, the goods never left the zone: what clearance deducted goes back on the
     * owner's accounts. Returns the quantity put back.
     */
    public BigDecimal undoDeduction(UUID declarationId, OffsetDateTime at) {
        return settle(declarationId, "DEDUCTED", "RESTORED", "RESTORE", at);
    }

    /**
     * Move a declaration's reservations from one state to the next, each account locked in key order:
     * reserved → deducted (off the account), reserved → restored (available again), deducted → restored
     * (back on the account).
     */
    private BigDecimal settle(UUID declarationId, String from, String to, String movementKind, OffsetDateTime at) {
        record Reserved(String warehouseCode, String ownerCode, String itemRecordNo, BigDecimal quantity) {
        }
        List<Reserved> reserved = jdbc.sql("""
                        select warehouse_code, owner_code, item_record_no, quantity from stock_reservation
                        where declaration_id = ? and state = ? order by warehouse_code, owner_code, item_record_no""")
                .params(declarationId, from).query(Reserved.class).list();
        BigDecimal total = BigDecimal.ZERO;
        for (Reserved r : reserved) {
            Account a = new Account(r.warehouseCode(), r.ownerCode(), r.itemRecordNo());
            lock(a);
            boolean wasReserved = from.equals("RESERVED");
            BigDecimal onHand = to.equals("DEDUCTED") ? r.quantity().negate() : wasReserved ? BigDecimal.ZERO : r.quantity();
            jdbc.sql("""
                            update stock_account set on_hand = on_hand + ?, reserved = reserved - ?, updated_at = ?
                            where warehouse_code = ? and owner_code = ? and item_record_no = ?""")
                    .params(onHand, wasReserved ? r.quantity() : BigDecimal.ZERO, at, a.warehouseCode(), a.ownerCode(), a.itemRecordNo())
                    .update();
            jdbc.sql("""
                            update stock_reservation set state = ?, settled_at = ?
                            where declaration_id = ? and warehouse_code = ? and owner_code = ? and item_record_no = ?""")
                    .params(to, at, declarationId, a.warehouseCode(), a.ownerCode(), a.itemRecordNo()).update();
            movement(a, movementKind, r.quantity(), declarationId, null, null, at);
            total = total.add(r.quantity());
        }
        return total;
    }

    /** Returned goods received back in the zone: on the owner's account again. */
    public void returnGoods(Account a, BigDecimal quantity, UUID declarationId, OffsetDateTime at) {
        lock(a);
        jdbc.sql("""
                        update stock_account set on_hand = on_hand + ?, updated_at = ?
                        where warehouse_code = ? and owner_code = ? and item_record_no = ?""")
                .params(quantity, at, a.warehouseCode(), a.ownerCode(), a.itemRecordNo()).update();
        movement(a, "RETURN", quantity, declarationId, null, null, at);
    }

    private Optional<Level> lock(Account a) {
        return jdbc.sql("""
                        select warehouse_code, owner_code, item_record_no, on_hand, reserved, on_hand - reserved as available,
                            updated_at
                        from stock_account where warehouse_code = ? and owner_code = ? and item_record_no = ? for update""")
                .params(a.warehouseCode(), a.ownerCode(), a.itemRecordNo()).query(Level.class).optional();
    }

    /**
     * Levels in a warehouse: of every owner's accounts ({@code owners} null: the operator, officers and
     * administrators) or of the given owners' only; optionally of one item record.
     */
    public List<Level> levels(String warehouseCode, Collection<String> owners, String itemRecordNo) {
        return jdbc.sql("""
                        select warehouse_code, owner_code, item_record_no, on_hand, reserved, on_hand - reserved as available,
                            updated_at
                        from stock_account
                        where warehouse_code = ? and (cast(? as text[]) is null or owner_code = any(?))
                          and (cast(? as text) is null or item_record_no = ?)
                        order by owner_code, item_record_no limit 1000""")
                .params(warehouseCode, owners == null ? null : owners.toArray(String[]::new),
                        owners == null ? null : owners.toArray(String[]::new), itemRecordNo, itemRecordNo)
                .query(Level.class).list();
    }

    private void movement(Account a, String kind, BigDecimal quantity, UUID declarationId, UUID stockInId, String batchNo,
                          OffsetDateTime at) {
        jdbc.sql("""
                        insert into stock_movement (warehouse_code, owner_code, item_record_no, kind, quantity, declaration_id,
                            stock_in_id, batch_no, at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(a.warehouseCode(), a.ownerCode(), a.itemRecordNo(), kind, quantity, declarationId, stockInId, batchNo, at)
                .update();
    }
}

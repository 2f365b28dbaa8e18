package org.singlewindow.kit.privacy;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A person ledger during a key rotation ({@link PersonKey} with a previous secret): when a person
 * appears, whatever the ledger holds for them under the previous key moves to the key in force — their
 * yearly totals added to any made under the new key meanwhile (an instance still on the old key during a
 * rolling restart), their entries re-pointed — so a limit is always checked against the person's whole
 * year. Without a previous key it does nothing. Runs in the caller's transaction, under the caller's lock
 * on the person's year.
 *
 * @param years   the yearly totals, e.g. {@code consumer_year}: primary key ({@code keyColumn}, {@code year})
 * @param entries the entries that add up to them, e.g. {@code ledger_entry}
 */
public record LedgerKeys(String years, String keyColumn, String usedColumn, String entries) {

    /** Move the person's rows to the key in force; returns how many yearly totals moved. */
    public int adopt(JdbcClient jdbc, PersonKey key, String idNumber) {
        var previous = key.previousOf(idNumber);
        if (previous.isEmpty()) {
            return 0;
        }
        String current = key.of(idNumber);
        int moved = jdbc.sql("""
                        with moved as (delete from %1$s where %2$s = ? returning year, %3$s)
                        insert into %1$s (%2$s, year, %3$s) select ?, year, %3$s from moved
                        on conflict (%2$s, year) do update set %3$s = %1$s.%3$s + excluded.%3$s"""
                        .formatted(years, keyColumn, usedColumn))
                .params(previous.get(), current).update();
        jdbc.sql("update %s set %s = ? where %s = ?".formatted(entries, keyColumn, keyColumn))
                .params(current, previous.get()).update();
        return moved;
    }
}

package org.singlewindow.agency;

import org.singlewindow.contract.Json;
import org.singlewindow.contract.Receipt;
import org.singlewindow.kit.messaging.TransactionScoped;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * What an agency answered, kept in {@code sent_receipt}: the receipts a transaction sends are gathered
 * and inserted together just before it commits (one batched, multi-row insert for a whole batch of
 * messages), and are gone with it if it rolls back.
 */
final class SentReceipts {

    private final JdbcTemplate jdbc;
    private final TransactionScoped<List<Receipt>> pending = new TransactionScoped<>(ArrayList::new, this::insert, r -> {
    });

    SentReceipts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Keep the receipt with the surrounding transaction. */
    void add(Receipt receipt) {
        pending.current().add(receipt);
    }

    private void insert(List<Receipt> receipts) {
        if (receipts.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("""
                        insert into sent_receipt (receipt_id, declaration_id, kind, status, status_code, reason_code, message,
                            decided_at, payload, version)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)""", receipts, receipts.size(), (ps, r) -> {
            ps.setObject(1, r.receiptId());
            ps.setObject(2, r.declarationId());
            ps.setString(3, r.kind().name());
            ps.setString(4, r.status().name());
            ps.setInt(5, r.status().code());
            ps.setString(6, r.reasonCode());
            ps.setString(7, r.message());
            ps.setObject(8, r.decidedAt());
            if (r.payload() == null) {
                ps.setNull(9, Types.VARCHAR);
            } else {
                ps.setString(9, Json.mapper().writeValueAsString(r.payload()));
            }
            ps.setInt(10, r.versionOrFirst());
        });
        receipts.clear();
    }
}

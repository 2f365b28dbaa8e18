package org.singlewindow.agency;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.singlewindow.contract.ReceiptStatus;
import org.singlewindow.infra.embedded.StateColumns;
import org.singlewindow.infra.embedded.TestInfrastructure;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import static org.assertj.core.api.Assertions.assertThat;

/** A case's state read in SQL (as the back-office lists and filters it) is the state read in Java, for every case. */
class CaseStateIT {

    private static TestInfrastructure infra;
    private static Connection db;

    @BeforeAll
    static void start() throws Exception {
        infra = TestInfrastructure.start();
        db = DriverManager.getConnection(infra.jdbcUrl(), "postgres", "");
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
        infra.close();
    }

    @Test
    void theSqlReadingIsTheJavaReading() throws Exception {
        int combinations = 0;
        for (ReceiptStatus status : ReceiptStatus.values()) {
            for (int flags = 0; flags < 8; flags++) {
                boolean deferred = (flags & 1) != 0;
                boolean settled = (flags & 2) != 0;
                boolean withdrawn = (flags & 4) != 0;
                CaseState java = CaseState.of(status, deferred, settled, withdrawn);
                assertThat(sql(CaseState.SQL, status, deferred, settled, withdrawn))
                        .as(status + " deferred=" + deferred + " settled=" + settled + " withdrawn=" + withdrawn)
                        .isEqualTo(java.name());
                combinations++;
            }
        }
        assertThat(combinations).isEqualTo(ReceiptStatus.values().length * 8);
    }

    @Test
    void aStatesConditionFindsExactlyItsCases() throws Exception {
        for (ReceiptStatus status : ReceiptStatus.values()) {
            for (int flags = 0; flags < 8; flags++) {
                boolean deferred = (flags & 1) != 0;
                boolean settled = (flags & 2) != 0;
                boolean withdrawn = (flags & 4) != 0;
                // what the kit writes: only an undecided case waits, and nothing held or waiting is settled or withdrawn
                boolean possible = (!deferred || status == ReceiptStatus.ACCEPTED && !settled && !withdrawn)
                        && (!status.isHold() || !settled && !withdrawn);
                if (!possible) {
                    continue;
                }
                CaseState java = CaseState.of(status, deferred, settled, withdrawn);
                for (CaseState state : CaseState.values()) {
                    assertThat(sql("(" + state.where() + ")::text", status, deferred, settled, withdrawn))
                            .as(state + " for " + status + " deferred=" + deferred + " settled=" + settled + " withdrawn=" + withdrawn)
                            .isEqualTo(String.valueOf(state == java));
                }
            }
        }
    }

    /** The agency's tables as Flyway makes them: each state column allows exactly its Java enum's values. */
    @Test
    void everyStateColumnAllowsExactlyItsJavaEnum() throws Exception {
        org.flywaydb.core.Flyway.configure().dataSource(infra.jdbcUrl(), "postgres", "").schemas("agency_tables")
                .defaultSchema("agency_tables").locations("classpath:db/kit", "classpath:db/agency").load().migrate();
        assertThat(allowed("received_declaration_status_check"))
                .isEqualTo(names(CaseState.DECISIONS.toArray(Enum[]::new)));
        assertThat(allowed("received_declaration_withdrawal_review_check"))
                .isEqualTo(names(AgencyCases.WithdrawalReview.values()));
        assertThat(allowed("agency_return_review_state_check"))
                .isEqualTo(names(AgencyCases.ReturnReviewState.values()));
    }

    private static java.util.Set<String> allowed(String constraint) throws Exception {
        try (PreparedStatement select = db.prepareStatement(StateColumns.DEFINITION)) {
            select.setString(1, constraint);
            try (ResultSet row = select.executeQuery()) {
                assertThat(row.next()).as(constraint).isTrue();
                return StateColumns.allowed(row.getString(1));
            }
        }
    }

    private static java.util.Set<String> names(Enum<?>[] values) {
        return StateColumns.names(values);
    }

    private static String sql(String expression, ReceiptStatus status, boolean deferred, boolean settled, boolean withdrawn)
            throws Exception {
        try (PreparedStatement select = db.prepareStatement("select " + expression + " from (select ?::text as status,"
                + " case when ? then now() end as deferred_until, case when ? then now() end as settled_at,"
                + " case when ? then now() end as withdrawn_at) as received_declaration")) {
            select.setString(1, status.name());
            select.setBoolean(2, deferred);
            select.setBoolean(3, settled);
            select.setBoolean(4, withdrawn);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }
}

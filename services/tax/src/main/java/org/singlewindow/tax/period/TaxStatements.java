package org.singlewindow.tax.period;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.singlewindow.contract.Receipt;
import org.singlewindow.contract.ReceiptStatus;
import org.singlewindow.kit.GaugeReadings;
import org.singlewindow.agency.AgencyAnswers;
import org.singlewindow.agency.Decision;
import org.singlewindow.kit.web.ApiException;
import org.singlewindow.tax.ledger.GuaranteeAccounts;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The tax period (GACC 2018 No.194 §14–15; Cai Shui [2016] No.103). The consumer is the taxpayer; the
 * withholding agent named on the list ({@code assureCode}: its platform, e-commerce enterprise or logistics
 * firm) guarantees and pays. A cleared declaration's tax is assessed and billed ({@code BILLED}) while the
 * guarantee keeps holding it; once {@code sw.tax.period} (30 days) has passed since clearance without a
 * withdrawal, and with no return that may still come back, it is due: {@link #close} puts every such
 * declaration of an agent on one statement ({@code DUE}), to be paid within {@code sw.tax.pay-within}
 * (15 days: day 31 to day 45). Paying the statement ({@link #pay}) releases the guarantee's hold and tells
 * the window each declaration's clearance is complete (899). An unpaid statement past its date is overdue
 * (listed, counted by a gauge for an alert).
 */
@Component
public class TaxStatements {

    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    private final JdbcClient jdbc;
    private final GuaranteeAccounts guarantees;
    private final AgencyAnswers answers;
    private final Clock clock;
    private final Duration period;
    private final Duration payWithin;

    TaxStatements(JdbcClient jdbc, GuaranteeAccounts guarantees, AgencyAnswers answers, Clock clock, MeterRegistry meters,
                  @Value("${sw.tax.period:P30D}") Duration period, @Value("${sw.tax.pay-within:P15D}") Duration payWithin) {
        this.jdbc = jdbc;
        this.guarantees = guarantees;
        this.answers = answers;
        this.clock = clock;
        this.period = period;
        this.payWithin = payWithin;
        Gauge.builder("sw.tax.statements.overdue", this, s -> s.overdueCount())
                .description("Tax statements past their payment date and not paid").register(meters);
    }

    /** A cleared declaration's tax as a withdrawal or return needs it; {@link #open} is what is still owed. */
    public record Open(UUID declarationId, String guarantor, String assureCode, String state, String statementNo,
                       BigDecimal total, BigDecimal voided, String items) {
        public BigDecimal open() {
            return total.subtract(voided);
        }
    }

    /** The cleared declaration's tax, row-locked; empty if it was never cleared here (or already withdrawn). */
    public Optional<Open> lockCleared(UUID declarationId) {
        return jdbc.sql("""
                        select declaration_id, guarantor, coalesce(assure_code, enterprise_id) as assure_code, state, statement_no,
                               total, voided, items::text as items
                        from tax_assessment where declaration_id = ? and state in ('BILLED', 'DUE', 'PAID') for update""")
                .param(declarationId).query(Open.class).optional();
    }

    /**
     * Take {@code amount} of a declaration's tax off (withdrawn, or lines returned): before it is due the
     * guarantee's hold is released; on an unpaid statement the statement is reduced too; paid already, it is
     * owed back to the withholding agent. The guarantee account must be locked. Says what was done.
     */
    public String takeOff(Open tax, BigDecimal amount, UUID returnId, OffsetDateTime at) {
        switch (tax.state()) {
            case "BILLED" -> {
                guarantees.release(tax.guarantor(), tax.declarationId(), amount, "taken off before due", at);
                return "released from the guarantee's hold";
            }
            case "DUE" -> {
                jdbc.sql("update tax_statement set total = total - ? where statement_no = ?").params(amount, tax.statementNo()).update();
                guarantees.release(tax.guarantor(), tax.declarationId(), amount, "taken off statement " + tax.statementNo(), at);
                return "taken off statement " + tax.statementNo() + " and released from the guarantee's hold";
            }
            default -> {
                jdbc.sql("""
                                insert into tax_refund (declaration_id, return_id, statement_no, assure_code, amount, at)
                                values (?, ?, ?, ?, ?, ?)""")
                        .params(tax.declarationId(), returnId, tax.statementNo(), tax.assureCode(), amount, at).update();
                return "paid on statement " + tax.statementNo() + ": owed back to the withholding agent " + tax.assureCode();
            }
        }
    }

    /**
     * Close the period as of now: every declaration whose tax became due goes on its withholding agent's
     * new statement. Rows another transaction holds (a withdrawal, a return being settled) wait for the next
     * round. Returns the statements issued.
     */
    public List<String> close() {
        OffsetDateTime now = OffsetDateTime.now(clock);
        record Due(UUID declarationId, String assureCode, BigDecimal amount) {
        }
        List<Due> due = jdbc.sql("""
                        select declaration_id, coalesce(assure_code, enterprise_id) as assure_code, total - voided as amount
                        from tax_assessment
                        where state = 'BILLED' and cleared_at <= ? and (returns_pending = 0 or return_pending_until < ?)
                        order by 2, 1 limit 5000 for update skip locked""")
                .params(now.minus(period), now).query(Due.class).list();
        Map<String, List<Due>> byAgent = new LinkedHashMap<>();
        due.forEach(d -> byAgent.computeIfAbsent(d.assureCode(), k -> new ArrayList<>()).add(d));
        List<String> issued = new ArrayList<>();
        byAgent.forEach((agent, items) -> {
            long seq = jdbc.sql("select nextval('tax_statement_seq')").query(Long.class).single();
            String statementNo = "TS" + now.atZoneSameInstant(CHINA).toLocalDate().format(DAY) + String.format("%08d", seq);
            BigDecimal total = items.stream().map(Due::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
            jdbc.sql("""
                            insert into tax_statement (statement_no, assure_code, issued_at, pay_by, total, state)
                            values (?, ?, ?, ?, ?, 'OPEN')""")
                    .params(statementNo, agent, now, now.plus(payWithin), total).update();
            jdbc.sql("update tax_assessment set state = 'DUE', statement_no = ? where declaration_id = any(?)")
                    .params(statementNo, items.stream().map(Due::declarationId).toArray(UUID[]::new)).update();
            issued.add(statementNo);
        });
        return issued;
    }

    /** A statement and the declarations on it. */
    public record Statement(String statementNo, String assureCode, OffsetDateTime issuedAt, OffsetDateTime payBy,
                            BigDecimal total, String state, OffsetDateTime paidAt, String paidBy, String reference,
                            boolean overdue, List<Line> declarations) {
    }

    public record Line(UUID declarationId, String billNo, BigDecimal total, BigDecimal voided, BigDecimal due, String state) {
    }

    private record Head(String statementNo, String assureCode, OffsetDateTime issuedAt, OffsetDateTime payBy, BigDecimal total,
                        String state, OffsetDateTime paidAt, String paidBy, String reference) {
    }

    private static final String HEAD = "select statement_no, assure_code, issued_at, pay_by, total, state, paid_at, paid_by, reference from tax_statement";

    public Optional<Statement> find(String statementNo) {
        return jdbc.sql(HEAD + " where statement_no = ?").param(statementNo).query(Head.class).optional().map(this::withLines);
    }

    /** Statements, newest first: of one agent, or all; only the overdue ones if asked. */
    public List<Statement> list(String assureCode, boolean overdueOnly) {
        return jdbc.sql(HEAD + """
                         where (cast(? as text) is null or assure_code = ?)
                          and (not ? or (state = 'OPEN' and pay_by < ?))
                        order by issued_at desc limit 200""")
                .params(assureCode, assureCode, overdueOnly, OffsetDateTime.now(clock)).query(Head.class).list()
                .stream().map(this::withLines).toList();
    }

    private Statement withLines(Head h) {
        List<Line> lines = jdbc.sql("""
                        select a.declaration_id, b.bill_no, a.total, a.voided, a.total - a.voided as due, a.state
                        from tax_assessment a left join tax_bill b using (declaration_id)
                        where a.statement_no = ? order by a.declaration_id""")
                .param(h.statementNo()).query(Line.class).list();
        boolean overdue = h.state().equals("OPEN") && OffsetDateTime.now(clock).isAfter(h.payBy());
        return new Statement(h.statementNo(), h.assureCode(), h.issuedAt(), h.payBy(), h.total(), h.state(), h.paidAt(),
                h.paidBy(), h.reference(), overdue, lines);
    }

    /**
     * The withholding agent paid the statement: every declaration on it is paid, the guarantee's holds are
     * released, and the window is told each declaration's clearance is complete (899). Paying a paid
     * statement changes nothing.
     */
    public Statement pay(String statementNo, String who, String reference) {
        Head head = jdbc.sql(HEAD + " where statement_no = ? for update").param(statementNo).query(Head.class).optional()
                .orElseThrow(() -> ApiException.notFound("tax statement " + statementNo));
        if (head.state().equals("PAID")) {
            return withLines(head);
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        record Due(UUID declarationId, String guarantor, BigDecimal amount) {
        }
        List<Due> due = jdbc.sql("""
                        select declaration_id, guarantor, total - voided as amount from tax_assessment
                        where statement_no = ? and state = 'DUE' order by declaration_id for update""")
                .param(statementNo).query(Due.class).list();
        new TreeSet<>(due.stream().map(Due::guarantor).toList()).forEach(guarantees::lock);
        for (Due d : due) {
            guarantees.release(d.guarantor(), d.declarationId(), d.amount(), "paid on statement " + statementNo, now);
            answers.report(d.declarationId(), Receipt.Kind.SETTLEMENT, new Decision(ReceiptStatus.CLEARANCE_COMPLETE, "TAX_PAID",
                    "clearance complete: the tax of CNY " + d.amount() + " was paid by the withholding agent " + head.assureCode()
                            + " on statement " + statementNo, null));
        }
        jdbc.sql("update tax_assessment set state = 'PAID' where statement_no = ? and state = 'DUE'").param(statementNo).update();
        jdbc.sql("update tax_statement set state = 'PAID', paid_at = ?, paid_by = ?, reference = ? where statement_no = ?")
                .params(now, who, reference, statementNo).update();
        return find(statementNo).orElseThrow();
    }

    private double overdueCount() {
        return GaugeReadings.orNaN(() -> jdbc.sql("select count(*) from tax_statement where state = 'OPEN' and pay_by < ?")
                .param(OffsetDateTime.now(clock)).query(Long.class).single());
    }
}

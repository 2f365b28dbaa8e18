-- Withdrawal after release: the tax bill is voided, the guarantee refunded (balance back), the consumer's
-- committed amount no longer counts toward the year.
alter table tax_assessment drop constraint tax_assessment_state_check;
alter table tax_assessment add constraint tax_assessment_state_check
    check (state in ('ASSESSED', 'BILLED', 'VOID', 'WITHDRAWN'));
alter table guarantee_movement drop constraint guarantee_movement_kind_check;
alter table guarantee_movement add constraint guarantee_movement_kind_check
    check (kind in ('DEPOSIT', 'RESERVE', 'DEBIT', 'RELEASE', 'REFUND'));
alter table tax_bill
    add column voided_at   timestamptz,
    add column void_reason text;

-- The platform's own receipt codes replace the misuse of 899 ("clearance complete" in CEB622):
-- a case closed without this agency's decision is VOID (902); settlement receipts are SETTLED (901).
update received_declaration set status = 'VOID' where status = 'CLOSED';
update sent_receipt set status = 'VOID', status_code = 902 where status = 'CLOSED' and kind = 'DECISION';
update sent_receipt set status = 'SETTLED', status_code = 901 where status = 'CLOSED' and kind = 'SETTLEMENT';

-- Withdrawal after release: when this agency restored what it had committed, and how (its reason code).
alter table received_declaration
    add column withdrawn_at timestamptz,
    add column withdrawal   text;

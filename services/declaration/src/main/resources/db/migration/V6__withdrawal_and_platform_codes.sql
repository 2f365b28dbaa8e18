-- The platform's own receipt codes replace the misuse of 899 ("clearance complete" in CEB622):
-- settlement receipts are SETTLED (901), a case closed without the agency's decision is VOID (902).
update receipt set status = 'SETTLED', status_code = 901 where status = 'CLOSED' and kind = 'SETTLEMENT';
update receipt set status = 'VOID', status_code = 902 where status = 'CLOSED';

-- Withdrawal after release: the application (reason, when), when it was refused or completed, and when
-- logistics reported the goods out of the bonded zone (no withdrawal after that).
alter table declaration
    add column withdrawal_reason       text,
    add column withdrawal_requested_at timestamptz,
    add column withdrawal_accepted_at  timestamptz,
    add column withdrawn_at            timestamptz,
    add column left_zone_at            timestamptz;
-- which agencies have restored what they committed (a bit per agency, as settled)
alter table declaration_progress add column withdrawn int not null default 0;

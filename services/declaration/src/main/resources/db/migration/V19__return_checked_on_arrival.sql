-- The goods of a return are checked by customs on arrival (issue 27): an APPROVED return is ARRIVED when logistics
-- reports its goods back in the zone (arrived_at), then RECEIVED once customs accepted them (every agency settles) or
-- REFUSED (refused_at, refusal: nothing is settled).
alter table declaration_return drop constraint declaration_return_state_check;
alter table declaration_return add constraint declaration_return_state_check
    check (state in ('APPLIED', 'APPROVED', 'REFUSED', 'ARRIVED', 'RECEIVED', 'COMPLETED'));
alter table declaration_return add column arrived_at timestamptz;

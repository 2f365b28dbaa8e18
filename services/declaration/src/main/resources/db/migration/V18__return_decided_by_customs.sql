-- A return is decided by customs (issue 27; CEB625 answered CEB626): an application is APPLIED until a customs
-- officer approves it (APPROVED: logistics may receive the goods) or refuses it (REFUSED, with why: final, its
-- quantities no longer count against the lines).
alter table declaration_return drop constraint declaration_return_state_check;
alter table declaration_return add constraint declaration_return_state_check
    check (state in ('APPLIED', 'APPROVED', 'REFUSED', 'RECEIVED', 'COMPLETED'));
alter table declaration_return add column approved_at timestamptz, add column refused_at timestamptz, add column refusal text;

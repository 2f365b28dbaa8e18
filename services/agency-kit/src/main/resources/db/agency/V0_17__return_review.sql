-- A return is decided by customs (issue 27; its CEB625 answered CEB626): the agency that reviews returns keeps
-- each application for its officer — PENDING, then APPROVED or REFUSED — with the enterprise's reason and lines.
create table agency_return_review (
    return_id      uuid        primary key,
    declaration_id uuid        not null references received_declaration,
    reason         text        not null,
    lines          jsonb       not null,
    requested_at   timestamptz not null,
    state          text        not null check (state in ('PENDING', 'APPROVED', 'REFUSED')),
    decided_at     timestamptz
);
create index agency_return_review_pending on agency_return_review (declaration_id) where state = 'PENDING';

alter table review_decision drop constraint review_decision_decision_check;
alter table review_decision add constraint review_decision_decision_check
    check (decision in ('RELEASE', 'REJECT', 'WITHDRAWAL_APPROVE', 'WITHDRAWAL_REFUSE', 'RETURN_APPROVE', 'RETURN_REFUSE'));

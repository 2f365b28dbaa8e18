-- Every officer's decision on a held declaration: who, when, what and why.
create table review_decision (
    id             bigserial   primary key,
    declaration_id uuid        not null references received_declaration,
    officer        text        not null,
    decision       text        not null check (decision in ('RELEASE', 'REJECT')),
    reason         text        not null,
    decided_at     timestamptz not null
);
create index review_decision_declaration on review_decision (declaration_id);

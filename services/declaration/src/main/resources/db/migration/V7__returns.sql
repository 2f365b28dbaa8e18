-- Returns of some lines after release (GACC 2018 No.194 §12): applied for within 30 days of release, the goods
-- back in the bonded zone by receive_by (45 days after release). lines: [{gnum, itemRecordNo, quantity,
-- declaredQuantity}]. settled: a bit per agency that settled the return (logistics on receiving the goods).
create table declaration_return (
    return_id      uuid        primary key,
    declaration_id uuid        not null references declaration,
    lines          jsonb       not null,
    reason         text        not null,
    requested_at   timestamptz not null,
    receive_by     timestamptz not null,
    state          text        not null check (state in ('APPLIED', 'RECEIVED', 'COMPLETED')),
    received_at    timestamptz,
    completed_at   timestamptz,
    settled        int         not null default 0
);
create index declaration_return_declaration on declaration_return (declaration_id);

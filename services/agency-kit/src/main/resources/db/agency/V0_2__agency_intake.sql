-- Service kit, agency intake: what this agency received and what it answered. One copy per agency schema.

create table received_declaration (
    declaration_id   uuid primary key,
    message_id       text        not null,
    enterprise_id    text,
    declaration_type text        not null,
    ebp_code         text        not null,
    order_no         text        not null,
    payload          jsonb       not null,
    received_at      timestamptz not null default now(),
    status           text        not null,
    reason_code      text,
    decided_at       timestamptz
);
create index received_declaration_status on received_declaration (status, received_at desc);

create table sent_receipt (
    receipt_id     uuid primary key,
    declaration_id uuid        not null,
    kind           text        not null,
    status         text        not null,
    status_code    int         not null,
    reason_code    text        not null,
    message        text        not null,
    decided_at     timestamptz not null,
    payload        jsonb
);
create index sent_receipt_declaration on sent_receipt (declaration_id);

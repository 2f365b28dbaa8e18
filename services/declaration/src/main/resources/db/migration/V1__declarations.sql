create table declaration (
    id               uuid primary key,
    guid             uuid        not null,
    enterprise_id    text        not null,
    ebp_code         text        not null,
    order_no         text        not null,
    app_type         text        not null,
    declaration_type text        not null,
    status           text        not null,
    body             jsonb       not null,
    request_hash     text        not null,
    submitted_at     timestamptz not null,
    updated_at       timestamptz not null,
    final_at         timestamptz
);
-- The natural key of a NEW declaration: one per platform order.
create unique index declaration_natural_key on declaration (ebp_code, order_no) where app_type = 'NEW';
create index declaration_status_time on declaration (status, submitted_at desc);
create index declaration_enterprise_time on declaration (enterprise_id, submitted_at desc);

create table idempotency_key (
    enterprise_id  text        not null,
    key            text        not null,
    request_hash   text        not null,
    declaration_id uuid        not null,
    created_at     timestamptz not null default now(),
    primary key (enterprise_id, key)
);

create table receipt (
    receipt_id     uuid primary key,
    declaration_id uuid        not null references declaration (id),
    agency         text        not null,
    kind           text        not null,
    status         text        not null,
    status_code    int         not null,
    reason_code    text        not null,
    message        text        not null,
    decided_at     timestamptz not null,
    received_at    timestamptz not null default now(),
    payload        jsonb
);
create index receipt_declaration on receipt (declaration_id, decided_at);

create table declaration_event (
    id             bigserial primary key,
    declaration_id uuid        not null references declaration (id),
    at             timestamptz not null default now(),
    kind           text        not null,
    agency         text,
    detail         text        not null
);
create index declaration_event_declaration on declaration_event (declaration_id, id);

-- Service kit: transactional outbox and consumer inbox. Every service has its own copy in its own schema.

create table outbox (
    id             bigserial primary key,
    message_id     uuid        not null unique,
    exchange       text        not null,
    routing_key    text        not null,
    correlation_id text,
    declaration_id uuid,
    headers        jsonb       not null default '{}'::jsonb,
    payload        bytea       not null,
    created_at     timestamptz not null default now(),
    attempts       int         not null default 0,
    last_error     text
);

create table inbox (
    consumer    text        not null,
    message_id  text        not null,
    received_at timestamptz not null default now(),
    primary key (consumer, message_id)
);

-- A dead letter an administrator discarded is kept here (who, when, why, and the message itself):
-- discarding takes it off the broker, never out of the record.
create table discarded_dead_letter (
    id             bigserial   primary key,
    queue          text        not null,
    message_id     text,
    message_type   text,
    declaration_id text,
    reason         text,
    headers        jsonb       not null,
    body           bytea       not null,
    discarded_by   text        not null,
    discarded_at   timestamptz not null default now(),
    note           text        not null
);
create index discarded_dead_letter_queue on discarded_dead_letter (queue, discarded_at desc);

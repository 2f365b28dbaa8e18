-- Reference data (tariffs, rule sets) replaced at run time through the admin API: every version
-- kept, the newest of a kind is in force.
create table reference_document (
    id             bigserial   primary key,
    kind           text        not null,
    version        text        not null,
    effective_from date        not null,
    source         text        not null,
    body           jsonb       not null,
    loaded_at      timestamptz not null default now(),
    loaded_by      text        not null
);
create index reference_document_kind on reference_document (kind, id desc);

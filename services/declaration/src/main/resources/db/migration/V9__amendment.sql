-- Amendment before release (appType CHANGE): the declaration's current version, the version each receipt
-- answered about (an answer about an amended-away version no longer decides), and every version: when, by
-- whom, which fields changed, and its body without the people's data (the current body has them).
alter table declaration add column version int not null default 1;
alter table receipt add column version int not null default 1;
create table declaration_version (
    declaration_id uuid        not null references declaration,
    version        int         not null,
    body           jsonb       not null,
    changed_by     text        not null,
    changed_at     timestamptz not null,
    changes        text[]      not null,
    primary key (declaration_id, version)
);

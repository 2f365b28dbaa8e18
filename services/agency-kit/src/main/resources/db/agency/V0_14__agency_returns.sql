-- Returns of some lines after release: each return is settled once per agency (logistics when the goods are
-- received back, every other agency on declaration.returned.v1); settlement is its reason code.
create table agency_return (
    return_id      uuid        primary key,
    declaration_id uuid        not null,
    settled_at     timestamptz not null,
    settlement     text        not null
);
create index agency_return_declaration on agency_return (declaration_id);

-- The CEB XML messages an enterprise's system sends (POST /api/v1/ceb/messages): the order (CEB311), the
-- payment (CEB411), the waybill (CEB511) and the inventory list (CEB621). Each is kept as received until
-- the four of one order are here; then the list is filed as a declaration and every document points at it.
create table ceb_document (
    id                   uuid primary key,
    kind                 text        not null check (kind in ('CEB311', 'CEB411', 'CEB511', 'CEB621')),
    -- the document's own guid (the head's), unique per kind: the same guid again is the same document
    guid                 text        not null,
    -- the enterprise that sent it (the token's enterprise_id)
    sender               text        not null,
    -- what it is matched by: platform code/order number (CEB311, CEB411, CEB621) or logistics code/waybill
    -- number (CEB511)
    match_key            text        not null,
    -- the waybill a list names (CEB621 only): how it finds its CEB511
    waybill_key          text,
    -- the message's head and lines as read (the contract's view of them is built from these)
    body                 jsonb,
    -- the message as received, byte for byte (its signature verifies against it); removed with the
    -- declaration's personal data, the hash stays
    xml                  text,
    xml_sha256           text        not null,
    signature_algorithm  text,
    signer_fingerprint   text,
    received_at          timestamptz not null,
    declaration_id       uuid references declaration (id),
    unique (kind, guid)
);

-- one waiting document per kind and key: a later one of the same order replaces it until the order is filed
create unique index ceb_document_waiting on ceb_document (kind, match_key) where declaration_id is null;
create index ceb_document_waybill on ceb_document (waybill_key) where declaration_id is null and kind = 'CEB621';
create index ceb_document_declaration on ceb_document (declaration_id) where declaration_id is not null;
create index ceb_document_filed on ceb_document (kind, match_key) where declaration_id is not null;
create index ceb_document_received on ceb_document (received_at) where declaration_id is null;

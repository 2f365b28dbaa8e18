-- Every administrator's action on this service, for the record: who, when, what, on what. Written in the
-- same transaction as the change where there is one; reading a dead letter in full is recorded too.
create table admin_audit (
    id     bigserial   primary key,
    at     timestamptz not null,
    actor  text        not null,
    action text        not null,
    target text        not null,
    detail text
);
create index admin_audit_at on admin_audit (at desc);

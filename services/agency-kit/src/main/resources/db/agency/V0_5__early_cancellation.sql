-- A cancellation that reached this agency before the declaration itself (an agency consumes its
-- queue with several threads, so the two can be handled out of order): remembered, so that the
-- declaration, when it arrives, is closed instead of decided and nothing is reserved for it.
create table early_cancellation (
    declaration_id uuid        primary key,
    reason         text,
    received_at    timestamptz not null
);

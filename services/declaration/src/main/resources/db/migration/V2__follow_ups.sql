-- The follow-ups (saga) after a final outcome: which outcome every agency was asked to settle, when,
-- and when the last of the five answered with its settlement receipt.
alter table declaration
    add column follow_up_outcome       text,
    add column follow_ups_requested_at timestamptz,
    add column follow_ups_completed_at timestamptz;
create index declaration_follow_ups_open on declaration (follow_ups_requested_at)
    where follow_ups_requested_at is not null and follow_ups_completed_at is null;

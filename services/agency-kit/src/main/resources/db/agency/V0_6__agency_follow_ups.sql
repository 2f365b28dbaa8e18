-- Follow-ups of the saga. An outcome (cancellation, or the window's rejection) that reached this agency
-- before the declaration itself: the declaration is closed on arrival, nothing reserved.
alter table early_cancellation rename to early_conclusion;
alter table early_conclusion add column outcome text not null default 'CANCELLED'
    check (outcome in ('CANCELLED', 'REJECTED'));

-- outcome: the declaration's outcome at the window (CLEARED, REJECTED, CANCELLED); settled_at: when
-- the agency committed or released what it reserved for it (once per declaration).
-- deferred_until: a decision that waits for something outside the platform (an exchange rate) is
-- asked again at that time; defer_count attempts so far, defer_reason why.
alter table received_declaration
    add column outcome        text,
    add column settled_at     timestamptz,
    add column settlement     text,
    add column deferred_until timestamptz,
    add column defer_count    int not null default 0,
    add column defer_reason   text;
create index received_declaration_deferred on received_declaration (deferred_until) where deferred_until is not null;

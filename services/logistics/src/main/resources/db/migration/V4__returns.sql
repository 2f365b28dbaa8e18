-- Returns after release: the goods expected back in the bonded zone by receive_by (45 days after release);
-- on receipt the returned quantities go back on the owner's accounts (movement RETURN).
create table goods_return (
    return_id      uuid        primary key,
    declaration_id uuid        not null,
    lines          jsonb       not null,
    reason         text,
    requested_at   timestamptz not null,
    receive_by     timestamptz not null,
    state          text        not null check (state in ('PENDING', 'RECEIVED')),
    received_at    timestamptz,
    received_by    text
);
create index goods_return_pending on goods_return (receive_by) where state = 'PENDING';
alter table stock_movement drop constraint stock_movement_kind_check;
alter table stock_movement add constraint stock_movement_kind_check
    check (kind in ('STOCK_IN', 'PRE_DEDUCT', 'DEDUCT', 'RESTORE', 'RETURN'));

-- The bonded warehouse's stock per warehouse and item record (1210). on_hand is what is physically in
-- the zone; reserved is what declarations have pre-deducted; available = on_hand - reserved. Neither
-- can go negative and nothing can be reserved that is not there.
create table stock_account (
    warehouse_code text          not null,
    item_record_no text          not null,
    on_hand        numeric(16,4) not null check (on_hand >= 0),
    reserved       numeric(16,4) not null default 0 check (reserved >= 0 and reserved <= on_hand),
    updated_at     timestamptz   not null,
    primary key (warehouse_code, item_record_no)
);

-- A stock-in (what CEB711 carries: warehouse, items, quantities, batch). The same Idempotency-Key from
-- the same enterprise stocks in once.
create table stock_in (
    id              uuid        primary key,
    filed_by        text        not null,
    idempotency_key text        not null,
    request_hash    text        not null,
    warehouse_code  text        not null,
    filed_at        timestamptz not null,
    unique (filed_by, idempotency_key)
);

-- One declaration's pre-deduction of one account: RESERVED at the decision, DEDUCTED when it is cleared
-- and leaves the zone, RESTORED when it is rejected or cancelled.
create table stock_reservation (
    declaration_id uuid          not null,
    warehouse_code text          not null,
    item_record_no text          not null,
    quantity       numeric(16,4) not null check (quantity > 0),
    state          text          not null check (state in ('RESERVED', 'DEDUCTED', 'RESTORED')),
    reserved_at    timestamptz   not null,
    settled_at     timestamptz,
    primary key (declaration_id, warehouse_code, item_record_no),
    foreign key (warehouse_code, item_record_no) references stock_account
);

-- Every change of an account, for the record.
create table stock_movement (
    id             bigserial     primary key,
    warehouse_code text          not null,
    item_record_no text          not null,
    kind           text          not null check (kind in ('STOCK_IN', 'PRE_DEDUCT', 'DEDUCT', 'RESTORE')),
    quantity       numeric(16,4) not null check (quantity > 0),
    declaration_id uuid,
    stock_in_id    uuid references stock_in,
    batch_no       text,
    at             timestamptz   not null,
    foreign key (warehouse_code, item_record_no) references stock_account
);
create index stock_movement_account on stock_movement (warehouse_code, item_record_no, id);

-- The waybill of a declaration logistics released, and its status events (what CEB513 carries).
create table waybill (
    logistics_no   text        primary key,
    declaration_id uuid        not null unique,
    logistics_code text        not null,
    declarant      text,
    warehouse_code text,
    recorded_at    timestamptz not null
);

create table waybill_event (
    id           bigserial   primary key,
    logistics_no text        not null references waybill,
    status       text        not null check (status in ('PICKED', 'LEFT_ZONE', 'DELIVERED')),
    at           timestamptz not null,
    location     text,
    note         text,
    recorded_by  text        not null,
    recorded_at  timestamptz not null,
    unique (logistics_no, status)
);

-- What each consumer has bought in the channel per calendar year (CNY 26,000 limit). The key is a
-- keyed hash (HMAC-SHA256) of the resident ID number: the number itself is never stored here.
create table consumer_year (
    consumer_key text          not null,
    year         int           not null,
    used         numeric(14,2) not null default 0 check (used >= 0),
    primary key (consumer_key, year)
);

-- One line per assessed declaration: reserved at the decision, committed on clearance, released on
-- rejection or cancellation. consumer_year.used = sum(amount) of RESERVED and COMMITTED lines.
create table ledger_entry (
    declaration_id uuid          primary key,
    consumer_key   text          not null,
    year           int           not null,
    amount         numeric(14,2) not null check (amount >= 0),
    state          text          not null check (state in ('RESERVED', 'COMMITTED', 'RELEASED')),
    reserved_at    timestamptz   not null,
    settled_at     timestamptz
);
create index ledger_entry_consumer on ledger_entry (consumer_key, year);

-- The declaring enterprise's guarantee: tax is reserved against it at the decision and debited on
-- clearance.
create table guarantee_account (
    enterprise_id text          primary key,
    balance       numeric(16,2) not null check (balance >= 0),
    reserved      numeric(16,2) not null default 0 check (reserved >= 0 and reserved <= balance),
    updated_at    timestamptz   not null
);

create table guarantee_movement (
    id             bigserial     primary key,
    enterprise_id  text          not null references guarantee_account,
    declaration_id uuid,
    kind           text          not null check (kind in ('DEPOSIT', 'RESERVE', 'DEBIT', 'RELEASE')),
    amount         numeric(16,2) not null check (amount >= 0),
    at             timestamptz   not null,
    by_whom        text          not null,
    -- a deposit's Idempotency-Key: the same request twice deposits once
    idempotency_key text
);
create index guarantee_movement_account on guarantee_movement (enterprise_id, id);
create unique index guarantee_movement_idempotency on guarantee_movement (enterprise_id, idempotency_key)
    where idempotency_key is not null;

create table tax_assessment (
    declaration_id    uuid          primary key,
    enterprise_id     text          not null,
    regime            text          not null,
    transaction_value numeric(14,2) not null,
    tariff            numeric(14,2) not null,
    consumption       numeric(14,2) not null,
    vat               numeric(14,2) not null,
    total             numeric(14,2) not null,
    items             jsonb         not null,
    tariff_version    text          not null,
    assessed_at       timestamptz   not null,
    state             text          not null check (state in ('ASSESSED', 'BILLED', 'VOID'))
);

create sequence tax_bill_seq;
create table tax_bill (
    bill_no        text          primary key,
    declaration_id uuid          not null unique references tax_assessment,
    enterprise_id  text          not null,
    tariff         numeric(14,2) not null,
    consumption    numeric(14,2) not null,
    vat            numeric(14,2) not null,
    total          numeric(14,2) not null,
    issued_at      timestamptz   not null
);

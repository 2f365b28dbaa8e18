-- What each person has paid abroad through the channel per calendar year, in USD. The key is a keyed
-- hash (HMAC-SHA256) of the payer's resident ID number: the number itself is never stored here.
create table payer_year (
    payer_key text          not null,
    year      int           not null,
    used_usd  numeric(16,2) not null default 0 check (used_usd >= 0),
    primary key (payer_key, year)
);

-- One verified payment per declaration: RESERVED at the decision (counted in payer_year), COMMITTED
-- when the declaration is cleared, RELEASED when it is rejected or cancelled (no longer counted, and its
-- transaction id free again). payer_year.used_usd = sum(usd) of RESERVED and COMMITTED rows.
create table payment_record (
    declaration_id     uuid          primary key,
    pay_code           text          not null,
    pay_transaction_id text          not null,
    amount             numeric(16,2) not null,
    currency           text          not null,
    units_per_usd      numeric(18,8) not null,
    rate_date          date          not null,
    usd                numeric(16,2) not null check (usd >= 0),
    payer_key          text          not null,
    year               int           not null,
    state              text          not null check (state in ('RESERVED', 'COMMITTED', 'RELEASED')),
    recorded_at        timestamptz   not null,
    settled_at         timestamptz
);
-- A payment transaction counts for one live declaration only.
create unique index payment_record_transaction on payment_record (pay_code, pay_transaction_id) where state <> 'RELEASED';
create index payment_record_payer on payment_record (payer_key, year);

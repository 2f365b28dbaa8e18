-- Direct imports (9610, issue 27): the goods come by parcel to a supervised site (监管作业场所), and a list is released
-- only once its site's operator has recorded the goods' arrival (the arrival record, CEB711 入库明细单). Arrivals are
-- kept per waybill (the logistics firm's number) whether or not its list has come yet. A waybill says which kind of
-- import it carries: a direct import's goods are on no bonded account.
create table goods_arrival (
    logistics_code text        not null,
    logistics_no   text        not null,
    site_code      text        not null,
    operator_code  text        not null,
    arrival_no     text        not null,
    bill_no        text,
    arrived_at     timestamptz not null,
    recorded_at    timestamptz not null,
    primary key (logistics_code, logistics_no)
);
create index goods_arrival_number on goods_arrival (arrival_no);
alter table waybill add column direct_import boolean not null default false;

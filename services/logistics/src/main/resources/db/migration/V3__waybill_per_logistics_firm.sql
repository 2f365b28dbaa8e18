-- A waybill number is the logistics firm's: two firms may issue the same number, and a number one firm
-- issued cannot be taken by a declaration naming another firm. The waybill is keyed by
-- (logistics firm, number); its events follow.
alter table waybill_event add column logistics_code text;
update waybill_event e set logistics_code = w.logistics_code from waybill w where w.logistics_no = e.logistics_no;
alter table waybill_event alter column logistics_code set not null;

alter table waybill_event drop constraint waybill_event_logistics_no_fkey;
alter table waybill_event drop constraint waybill_event_logistics_no_status_key;
alter table waybill drop constraint waybill_pkey;
alter table waybill add primary key (logistics_code, logistics_no);
alter table waybill_event add foreign key (logistics_code, logistics_no) references waybill;
alter table waybill_event add unique (logistics_code, logistics_no, status);
-- a waybill is found by its number and then checked against the caller
create index waybill_number on waybill (logistics_no);

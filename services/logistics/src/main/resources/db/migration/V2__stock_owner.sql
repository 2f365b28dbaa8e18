-- Bonded stock belongs to an owner (the e-commerce enterprise whose goods they are) in a warehouse: an
-- account is (warehouse, owner, item record). A declaration draws only on its e-commerce enterprise's
-- own accounts; only the warehouse's operator records stock-ins.
--
-- Accounts kept before owners existed are given the enterprise that filed their first stock-in (then the
-- only one who could have known the item), or UNASSIGNED when they were opened by configuration; an
-- administrator reassigns those (nothing can draw on UNASSIGNED stock).
alter table stock_account add column owner_code text;
update stock_account a set owner_code = coalesce(
    (select s.filed_by from stock_movement m join stock_in s on s.id = m.stock_in_id
     where m.warehouse_code = a.warehouse_code and m.item_record_no = a.item_record_no order by m.id limit 1),
    'UNASSIGNED');
alter table stock_account alter column owner_code set not null;

alter table stock_reservation add column owner_code text;
update stock_reservation r set owner_code = a.owner_code
from stock_account a where a.warehouse_code = r.warehouse_code and a.item_record_no = r.item_record_no;
alter table stock_reservation alter column owner_code set not null;

alter table stock_movement add column owner_code text;
update stock_movement m set owner_code = a.owner_code
from stock_account a where a.warehouse_code = m.warehouse_code and a.item_record_no = m.item_record_no;
alter table stock_movement alter column owner_code set not null;

alter table stock_reservation drop constraint stock_reservation_warehouse_code_item_record_no_fkey;
alter table stock_movement drop constraint stock_movement_warehouse_code_item_record_no_fkey;
alter table stock_reservation drop constraint stock_reservation_pkey;
alter table stock_account drop constraint stock_account_pkey;

alter table stock_account add primary key (warehouse_code, owner_code, item_record_no);
alter table stock_reservation add primary key (declaration_id, warehouse_code, owner_code, item_record_no);
alter table stock_reservation add foreign key (warehouse_code, owner_code, item_record_no) references stock_account;
alter table stock_movement add foreign key (warehouse_code, owner_code, item_record_no) references stock_account;
drop index stock_movement_account;
create index stock_movement_account on stock_movement (warehouse_code, owner_code, item_record_no, id);
-- an owner's accounts across warehouses (what an owner lists)
create index stock_account_owner on stock_account (owner_code, warehouse_code, item_record_no);

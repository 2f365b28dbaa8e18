-- Amendment before release: the version of the declaration this agency's case is about (1 as submitted), and
-- the version each receipt answered about.
alter table received_declaration add column version int not null default 1;
alter table sent_receipt add column version int not null default 1;

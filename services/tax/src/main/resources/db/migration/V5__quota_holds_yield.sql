-- Who filed each purchase the consumer's year counts (issue 26): a reservation of a filer the consumer has
-- never bought from (no purchase of theirs it filed ever cleared) does not keep the consumer's quota while
-- its declaration waits; once it has waited sw.tax.unproven-hold-yields-after, a purchase that needs the
-- quota takes it, and that declaration is rejected.
alter table ledger_entry add column filer text;
update ledger_entry e set filer = a.enterprise_id from tax_assessment a where a.declaration_id = e.declaration_id;
create index ledger_entry_reserved on ledger_entry (consumer_key, year, reserved_at) where state = 'RESERVED';
create index ledger_entry_committed_filer on ledger_entry (consumer_key, filer) where state = 'COMMITTED';
-- a reservation that gave way (its declaration rejected for it); counted again should it clear all the same
alter table ledger_entry add column yielded boolean not null default false;

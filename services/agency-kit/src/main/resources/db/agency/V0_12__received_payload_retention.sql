-- The declaration an agency received holds a person's data (ID number, name, telephone, address). Once
-- the case is settled and the retention (sw.retention.received-payloads) has passed, the copy is dropped;
-- the agency keeps its decisions, its receipts and its own ledgers, the window keeps the declaration.
alter table received_declaration alter column payload drop not null;
create index received_declaration_settled on received_declaration (settled_at) where payload is not null;

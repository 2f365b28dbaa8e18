-- What deciding a declaration locked besides the declaration (a consumer's year, a guarantee account, a
-- stock account), as the kit's lock keys: its outcome takes the same locks before settling.
alter table received_declaration add column lock_keys text[];

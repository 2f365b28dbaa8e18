-- The guarantee is the withholding agent's (issue 27): a declaration's tax is held on the guarantee account of
-- the list's withholding agent (CEB621 assureCode; the e-commerce enterprise when the list names none) — the
-- party that pays it on the tax statement — not on the declaring agent's. The account a declaration's tax is held
-- on is kept with it, so that what was held before this version (on the filer's) is released where it was held.
alter table tax_assessment add column guarantor text;
update tax_assessment set guarantor = enterprise_id;
alter table tax_assessment alter column guarantor set not null;

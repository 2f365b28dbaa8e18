-- Each party's own receipt pushed (issue 27): a CEB_XML (or JSON) subscription that asks for "document" receives the
-- receipt of each document its enterprise sent (CEB312, CEB412, CEB512; CEB622 for a list returned unfiled) when the
-- document is filed with its order (120) or found at fault (100). Such a document may belong to no declaration yet.
alter table webhook_delivery alter column declaration_id drop not null;

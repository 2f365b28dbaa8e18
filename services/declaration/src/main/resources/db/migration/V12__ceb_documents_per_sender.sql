-- A pending CEB document is its sender's (issue 26): another enterprise's message for the same order is a
-- document of its own, never a replacement. The guid is unique per sender (a stranger reusing an
-- enterprise's guid creates its own document and learns nothing), and a sender keeps at most one waiting
-- document per kind and key, which its next one replaces.
alter table ceb_document drop constraint ceb_document_kind_guid_key;
alter table ceb_document add constraint ceb_document_sender_guid unique (sender, kind, guid);
drop index ceb_document_waiting;
create unique index ceb_document_waiting on ceb_document (kind, match_key, sender) where declaration_id is null;

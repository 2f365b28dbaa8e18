-- A declaration's row is updated a few times in its life (status, follow-ups). Room on each page lets
-- PostgreSQL write the new version next to the old one without touching the indexes (a HOT update).
alter table declaration set (fillfactor = 85);

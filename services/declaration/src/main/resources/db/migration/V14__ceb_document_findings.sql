-- What is wrong with a waiting CEB document, found when its order's four documents came together (issue 27):
-- kept on the faulty document for its own sender to read (GET /api/v1/ceb/messages/{kind}/{guid}); the
-- other parties' documents wait for its correction.
alter table ceb_document add column findings jsonb;

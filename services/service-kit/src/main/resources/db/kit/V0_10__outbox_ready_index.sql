-- The relay claims the oldest unparked rows in id order. On a table that churns (every row inserted and
-- deleted within milliseconds) the planner, seeing few live rows, scans the whole table — every page the
-- backlog ever grew to — on every round (measured: 2.5 ms of PostgreSQL CPU per round, the largest
-- single cost of a declaration at moderate load). This index serves that claim; the relay also turns
-- sequential scans off for its own transaction (OutboxRelay), so the index is always used and each round
-- touches only the rows it claims and the index entries of rows deleted since the last round.
create index outbox_ready on outbox (id) where parked_at is null;

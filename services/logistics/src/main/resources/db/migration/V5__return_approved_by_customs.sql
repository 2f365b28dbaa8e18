-- A return is decided by customs (issue 27; CEB625 answered CEB626): when customs approved it. Its goods are received
-- only after.
alter table goods_return add column approved_at timestamptz;

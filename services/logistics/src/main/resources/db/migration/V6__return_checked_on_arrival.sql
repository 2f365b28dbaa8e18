-- The goods of a return are checked by customs on arrival (issue 27): the logistics firm or the declarant reports them
-- ARRIVED (arrived_at, reported_by); they go back on the owner's accounts only once customs accepted them (RECEIVED,
-- received_at), and not at all if customs refused the return (REFUSED, refusal).
alter table goods_return drop constraint goods_return_state_check;
alter table goods_return add constraint goods_return_state_check check (state in ('PENDING', 'ARRIVED', 'RECEIVED', 'REFUSED'));
alter table goods_return rename column received_by to reported_by;
alter table goods_return add column arrived_at timestamptz, add column refused_at timestamptz, add column refusal text;
update goods_return set arrived_at = received_at where state = 'RECEIVED';

-- The window's consolidation state per declaration, a narrow row updated in place as receipts arrive
-- (no re-reading of receipts): each agency's latest decision and its time, whether any receipt came,
-- whether any agency rejected, and which agencies settled the outcome (bit i = agency i in the order
-- customs, inspection, tax, forex, logistics).
create table declaration_progress (
    declaration_id          uuid primary key,
    answered                boolean not null default false,
    rejected                boolean not null default false,
    settled                 int     not null default 0,
    customs_decision        text,
    customs_decided_at      timestamptz,
    inspection_decision     text,
    inspection_decided_at   timestamptz,
    tax_decision            text,
    tax_decided_at          timestamptz,
    forex_decision          text,
    forex_decided_at        timestamptz,
    logistics_decision      text,
    logistics_decided_at    timestamptz
) with (fillfactor = 80);

-- from the receipts kept so far
with latest as (
    select distinct on (declaration_id, agency) declaration_id, agency, status, decided_at
    from receipt where kind = 'DECISION' and status not in ('CLOSED', 'ACCEPTED')
    order by declaration_id, agency, decided_at desc
), summary as (
    select declaration_id,
           bool_or(kind = 'DECISION' and status = 'REJECTED') as rejected,
           coalesce(bit_or(case when kind = 'SETTLEMENT' then 1 << (array_position(
               array['CUSTOMS', 'INSPECTION', 'TAX', 'FOREX', 'LOGISTICS'], agency) - 1) end), 0) as settled
    from receipt group by declaration_id
)
insert into declaration_progress (declaration_id, answered, rejected, settled,
        customs_decision, customs_decided_at, inspection_decision, inspection_decided_at, tax_decision, tax_decided_at,
        forex_decision, forex_decided_at, logistics_decision, logistics_decided_at)
select s.declaration_id, true, s.rejected, s.settled, c.status, c.decided_at, i.status, i.decided_at, t.status, t.decided_at,
       f.status, f.decided_at, l.status, l.decided_at
from summary s
left join latest c on c.declaration_id = s.declaration_id and c.agency = 'CUSTOMS'
left join latest i on i.declaration_id = s.declaration_id and i.agency = 'INSPECTION'
left join latest t on t.declaration_id = s.declaration_id and t.agency = 'TAX'
left join latest f on f.declaration_id = s.declaration_id and f.agency = 'FOREX'
left join latest l on l.declaration_id = s.declaration_id and l.agency = 'LOGISTICS';

-- a receipt's timeline entry is read from the receipt itself now; the copies go
delete from declaration_event where kind in ('ACKNOWLEDGED', 'DECIDED', 'SETTLED');

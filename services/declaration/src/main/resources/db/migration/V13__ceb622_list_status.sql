-- CEB622 as customs writes it (issue 27): the customs numbers of a list, and the list's status — one per
-- change, in customs' codes — for CEB_XML webhook subscriptions.

-- preNo: the pre-entry number, B + the day (China Standard Time) + a 9-digit serial (18 characters);
-- invtNo: the list number, the customs office (4) + the year + I (import) + a 9-digit serial (18 characters).
-- Both are given when the window takes the list in (customs' 120, "海关入库").
create sequence declaration_pre_no_seq;
create sequence declaration_invt_no_seq;
alter table declaration add column pre_no text, add column invt_no text;

-- The list's status as customs reports it, from an agency's receipt: 120 once customs has taken it in (its
-- acknowledgement), 300 / 500 when an officer of any agency holds it for review / inspection, 899 when its
-- clearance is complete. Every other receipt is an agency's internal answer, folded into the list's status.
create function ceb622_status_of_receipt(agency text, kind text, status_code int) returns int language sql immutable as $$
    select case when kind = 'ACKNOWLEDGEMENT' and agency = 'CUSTOMS' then 120
                when kind = 'DECISION' and status_code in (300, 500) then status_code
                when status_code = 899 then 899 end
$$;

-- The list's identity in a CEB622: guid and copNo as the (latest) CEB621 filed them (the contract's guid and the order
-- number for a list filed as JSON), the parties, the customs numbers.
create function ceb622_list(d declaration) returns jsonb language sql stable as $$
    select jsonb_build_object('declarationId', d.id,
               'guid', coalesce(c.guid, d.guid::text), 'copNo', coalesce(c.body #>> '{Inventory,0,InventoryHead,copNo}', d.order_no),
               'customsCode', d.body #>> '{declarant,customsCode}', 'ebpCode', d.ebp_code, 'ebcCode', d.ebc_code,
               'agentCode', d.body #>> '{declarant,agentCode}', 'preNo', d.pre_no, 'invtNo', d.invt_no, 'version', d.version)
    from (select 1) one
    left join lateral (select guid, body from ceb_document
                       where declaration_id = d.id and kind = 'CEB621' order by received_at desc limit 1) c on true
$$;

create or replace function webhook_receipts() returns trigger language plpgsql as $$
begin
    if not exists (select 1 from webhook_subscription where active) then
        return null;
    end if;
    insert into webhook_delivery (message_id, subscription_id, declaration_id, event_type, payload)
    select 'msg_' || replace(gen_random_uuid()::text, '-', ''), s.id, d.id, 'declaration.' || webhook_event_of(r.kind),
           jsonb_build_object('type', 'declaration.' || webhook_event_of(r.kind), 'timestamp', r.received_at,
               'data', jsonb_build_object('declarationId', d.id, 'guid', d.guid, 'ebpCode', d.ebp_code,
                   'orderNo', d.order_no, 'ebcCode', d.body #>> '{order,ebcCode}', 'agentCode', d.body #>> '{declarant,agentCode}',
                   'customsCode', d.body #>> '{declarant,customsCode}', 'receipt', jsonb_build_object('receiptId', r.receipt_id, 'agency', r.agency,
                       'kind', r.kind, 'status', r.status, 'statusCode', r.status_code, 'reasonCode', r.reason_code,
                       'message', r.message, 'decidedAt', r.decided_at, 'version', r.version, 'payload', r.payload)))
    from added r
    join declaration d on d.id = r.declaration_id
    join webhook_subscription s on s.enterprise_id = d.enterprise_id and s.active and s.format = 'JSON'
         and webhook_event_of(r.kind) = any(s.events)
    order by r.received_at, r.receipt_id;
    -- CEB_XML: the receipts that change the list's status as customs reports it, one CEB622 each
    insert into webhook_delivery (message_id, subscription_id, declaration_id, event_type, payload)
    select 'msg_' || replace(gen_random_uuid()::text, '-', ''), s.id, d.id, 'declaration.status',
           jsonb_build_object('type', 'declaration.status', 'timestamp', r.received_at,
               'data', ceb622_list(d) || jsonb_build_object('returns', jsonb_build_array(jsonb_build_object(
                   'statusCode', ceb622_status_of_receipt(r.agency, r.kind, r.status_code), 'at', r.decided_at,
                   'agency', r.agency, 'reasonCode', r.reason_code, 'message', r.message))))
    from added r
    join declaration d on d.id = r.declaration_id
    join webhook_subscription s on s.enterprise_id = d.enterprise_id and s.active and s.format = 'CEB_XML'
    where ceb622_status_of_receipt(r.agency, r.kind, r.status_code) is not null and r.version = d.version
    order by r.received_at, r.receipt_id;
    return null;
end
$$;

create or replace function webhook_status() returns trigger language plpgsql as $$
begin
    insert into webhook_delivery (message_id, subscription_id, declaration_id, event_type, payload)
    select 'msg_' || replace(gen_random_uuid()::text, '-', ''), s.id, new.id, 'declaration.status',
           jsonb_build_object('type', 'declaration.status', 'timestamp', new.updated_at,
               'data', jsonb_build_object('declarationId', new.id, 'guid', new.guid, 'ebpCode', new.ebp_code,
                   'orderNo', new.order_no, 'status', new.status,
                   'previousStatus', case when tg_op = 'UPDATE' then old.status end))
    from webhook_subscription s
    where s.enterprise_id = new.enterprise_id and s.active and s.format = 'JSON' and 'status' = any(s.events);
    -- CEB_XML: the outcome as customs reports it — 399 reviewed and 800 released, or 100 returned (退单) with
    -- the agencies' reasons
    if tg_op = 'UPDATE' and new.status in ('CLEARED', 'REJECTED') then
        insert into webhook_delivery (message_id, subscription_id, declaration_id, event_type, payload)
        select 'msg_' || replace(gen_random_uuid()::text, '-', ''), s.id, new.id, 'declaration.status',
               jsonb_build_object('type', 'declaration.status', 'timestamp', new.updated_at,
                   'data', ceb622_list(new) || jsonb_build_object('returns', case when new.status = 'CLEARED' then jsonb_build_array(
                       jsonb_build_object('statusCode', 399, 'at', new.updated_at),
                       jsonb_build_object('statusCode', 800, 'at', new.updated_at))
                   else jsonb_build_array(jsonb_build_object('statusCode', 100, 'at', new.updated_at, 'rejections',
                       (select coalesce(jsonb_agg(jsonb_build_object('agency', r.agency, 'reasonCode', r.reason_code,
                                                                     'message', r.message) order by r.decided_at), '[]'::jsonb)
                        from receipt r where r.declaration_id = new.id and r.kind = 'DECISION' and r.status_code = 100
                          and r.version = new.version))) end))
        from webhook_subscription s
        where s.enterprise_id = new.enterprise_id and s.active and s.format = 'CEB_XML';
    end if;
    return null;
end
$$;

-- a CEB_XML subscription carries the list's status as customs reports it
update webhook_subscription set events = array['status'] where format = 'CEB_XML';

-- The tax period (GACC 2018 No.194 §14–15; Cai Shui [2016] No.103): the consumer is the taxpayer, the withholding
-- agent (assure_code: the list's platform, e-commerce enterprise or logistics firm) guarantees and pays. At
-- clearance the tax is assessed and billed (BILLED) while the guarantee keeps holding it; once 30 days pass
-- without a withdrawal or a pending return it is DUE, on the agent's statement, paid between day 31 and day 45;
-- paying the statement (PAID) releases the guarantee's hold. voided: tax of returned lines taken off the bill.
alter table tax_assessment
    add column assure_code          text,
    add column cleared_at           timestamptz,
    add column voided               numeric(14,2) not null default 0,
    add column returns_pending      int           not null default 0,
    add column return_pending_until timestamptz,
    add column statement_no         text;
alter table tax_assessment drop constraint tax_assessment_state_check;
-- assessments billed before tax periods existed were debited from the guarantee at clearance: paid
update tax_assessment set state = 'PAID' where state = 'BILLED';
alter table tax_assessment add constraint tax_assessment_state_check
    check (state in ('ASSESSED', 'BILLED', 'DUE', 'PAID', 'VOID', 'WITHDRAWN'));
create index tax_assessment_billed on tax_assessment (cleared_at) where state = 'BILLED';

create sequence tax_statement_seq;
create table tax_statement (
    statement_no text          primary key,
    assure_code  text          not null,
    issued_at    timestamptz   not null,
    pay_by       timestamptz   not null,
    total        numeric(16,2) not null check (total >= 0),
    state        text          not null check (state in ('OPEN', 'PAID')),
    paid_at      timestamptz,
    paid_by      text,
    reference    text
);
create index tax_statement_agent on tax_statement (assure_code, issued_at desc);
create index tax_statement_open on tax_statement (pay_by) where state = 'OPEN';

-- Tax already paid on a statement and then withdrawn or returned: owed back to the withholding agent.
create table tax_refund (
    id             bigserial     primary key,
    declaration_id uuid          not null references tax_assessment,
    return_id      uuid,
    statement_no   text          not null references tax_statement,
    assure_code    text          not null,
    amount         numeric(14,2) not null check (amount > 0),
    at             timestamptz   not null
);

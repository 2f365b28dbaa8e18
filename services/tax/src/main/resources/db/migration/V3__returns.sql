-- A return of some lines of a billed declaration: their tax voided (refunded to the guarantee) and their
-- value taken out of the consumer's year. lines: [{gnum, quantity, declaredQuantity}] of this return;
-- the amounts are this return's share, computed on the cumulative quantity so that partial returns add
-- up to the line's amounts to the fen.
create table tax_return (
    return_id      uuid          primary key,
    declaration_id uuid          not null references tax_assessment,
    lines          jsonb         not null,
    tax            numeric(14,2) not null check (tax >= 0),
    amount         numeric(14,2) not null check (amount >= 0),
    returned_at    timestamptz   not null
);
create index tax_return_declaration on tax_return (declaration_id);

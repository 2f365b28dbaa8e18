-- A platform's order number is unique per e-commerce enterprise selling on it: two sellers that the
-- same platform authorised cannot block each other's orders by filing a number first, and a refusal
-- for an order already declared only ever concerns the caller's own seller (party register).
alter table declaration add column ebc_code text;
update declaration set ebc_code = body -> 'order' ->> 'ebcCode';
alter table declaration alter column ebc_code set not null;
drop index declaration_natural_key;
create unique index declaration_natural_key on declaration (ebp_code, ebc_code, order_no) where app_type = 'NEW';

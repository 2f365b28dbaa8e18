-- States are types (issue 28): a webhook delivery's state is one of DeliveryState's values; DeclarationApiIT compares
-- the enum with this constraint.
alter table webhook_delivery add constraint webhook_delivery_state_check check (state in ('PENDING', 'DELIVERED', 'FAILED'));

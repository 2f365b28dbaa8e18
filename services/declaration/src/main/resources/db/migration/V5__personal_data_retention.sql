-- When a declaration's people (buyer, payer, consignees) were taken out of its body, after the
-- retention that follows its final outcome (sw.retention.personal-data); the partial index finds what is due.
alter table declaration add column personal_data_removed_at timestamptz;
create index declaration_personal_data_due on declaration (final_at)
    where final_at is not null and personal_data_removed_at is null;

-- 899 clearance complete (结关): tax reports that the withholding agent paid the declaration's tax at the end of
-- its tax period.
alter table declaration add column clearance_completed_at timestamptz;

-- A list whose order's other documents did not come in time is returned (customs' 100, 退单), naming what was
-- missing; it is no longer put together with anything, and its sender files a new one (issue 27).
alter table ceb_document add column returned_at timestamptz;

-- A withdrawal after release is decided by customs (issue 27; CEB623 answered CEB624): when customs approved the
-- application under way, so that logistics is asked once to check the goods; cleared again at a new application.
alter table declaration add column withdrawal_approved_at timestamptz;

-- A withdrawal after release is decided by customs (issue 27; its CEB623 answered CEB624): the agency that reviews
-- withdrawals keeps each application for its officer — PENDING, then APPROVED or REFUSED — with the enterprise's
-- reason; logistics checks the goods only once customs approved.
alter table received_declaration
    add column withdrawal_review      text,
    add column withdrawal_application text;

-- the officer's decision on a withdrawal application is audited with the other reviews
alter table review_decision drop constraint review_decision_decision_check;
alter table review_decision add constraint review_decision_decision_check
    check (decision in ('RELEASE', 'REJECT', 'WITHDRAWAL_APPROVE', 'WITHDRAWAL_REFUSE'));

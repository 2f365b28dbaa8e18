-- States are types (issue 28): a case's decision is one of CaseState.DECISIONS (receipt statuses a decision takes), its
-- withdrawal review one of AgencyCases.WithdrawalReview's values (a return review's state is checked since V0_18);
-- CaseStateIT compares each constraint with its Java enum.
alter table received_declaration add constraint received_declaration_status_check
    check (status in ('ACCEPTED', 'REJECTED', 'MANUAL_REVIEW', 'INSPECTION', 'RELEASED', 'VOID'));
alter table received_declaration add constraint received_declaration_withdrawal_review_check
    check (withdrawal_review in ('PENDING', 'APPROVED', 'REFUSED'));

-- The goods of an approved return are checked by customs when they arrive back in the zone (issue 27; GACC 2018 No.194
-- item 12: returned goods come back in their original state, fit for resale): an APPROVED return becomes ARRIVED when
-- logistics reports the goods, then CHECKED (accepted: every agency settles) or CHECK_FAILED (nothing is settled).
alter table agency_return_review drop constraint agency_return_review_state_check;
alter table agency_return_review add constraint agency_return_review_state_check
    check (state in ('PENDING', 'APPROVED', 'REFUSED', 'ARRIVED', 'CHECKED', 'CHECK_FAILED'));
alter table agency_return_review add column arrived_at timestamptz, add column checked_at timestamptz;
drop index agency_return_review_pending;
create index agency_return_review_pending on agency_return_review (declaration_id) where state in ('PENDING', 'ARRIVED');

alter table review_decision drop constraint review_decision_decision_check;
alter table review_decision add constraint review_decision_decision_check
    check (decision in ('RELEASE', 'REJECT', 'WITHDRAWAL_APPROVE', 'WITHDRAWAL_REFUSE', 'RETURN_APPROVE', 'RETURN_REFUSE',
                        'RETURN_CHECK_PASS', 'RETURN_CHECK_FAIL'));

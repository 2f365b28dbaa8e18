-- States are types (issue 28): the declaration's status is one of DeclarationStatus's values, as the return's state
-- is one of ReturnSaga.State's; DeclarationApiIT checks each Java enum against its column's check constraint.
alter table declaration add constraint declaration_status_check
    check (status in ('AWAITING_PARTIES', 'RECEIVED', 'IN_REVIEW', 'HELD', 'CLEARED', 'REJECTED', 'CANCELLED', 'WITHDRAWING',
                      'WITHDRAWN'));

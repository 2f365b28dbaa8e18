-- States are types (issue 28): a timeline entry's kind is one of TimelineKind's values, written only by
-- DeclarationRecords; DeclarationApiIT checks the enum against this constraint. Not validated against rows written
-- before it (an older deployment's kinds stay readable); every new entry is checked.
alter table declaration_event add constraint declaration_event_kind_check
    check (kind in ('SUBMITTED', 'AWAITING_PARTIES', 'PARTY_CONFIRMED', 'CONFIRMATION_DIFFERS', 'AMENDED', 'STATUS', 'CANCELLED',
                    'FOLLOW_UPS', 'FOLLOW_UPS_COMPLETE', 'CLEARANCE_COMPLETE', 'WITHDRAWAL_REQUESTED', 'WITHDRAWAL_APPROVED',
                    'WITHDRAWAL_ACCEPTED', 'WITHDRAWAL_REFUSED', 'RETURN_REQUESTED', 'RETURN_REVIEW', 'RETURN_APPROVED',
                    'RETURN_REFUSED', 'RETURN_ARRIVED', 'RETURN_CHECK', 'RETURN_RECEIVED', 'RETURN_COMPLETE')) not valid;

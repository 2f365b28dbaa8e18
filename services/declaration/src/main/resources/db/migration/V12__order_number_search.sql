-- An enterprise looks its declarations up by order number (the console's search, GET /api/v1/declarations?orderNo=):
-- the whole number or its beginning, among its own declarations only.
create index declaration_enterprise_order on declaration (enterprise_id, order_no text_pattern_ops);

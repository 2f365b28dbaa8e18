package org.singlewindow.contract;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Validates messages against the JSON Schemas shipped in this module. Thread-safe; build once.
 */
public final class ContractValidator {

    public static final String DECLARATION_SCHEMA = "declaration-v1.schema.json";
    public static final String RECEIPT_SCHEMA = "receipt-v1.schema.json";

    private final Schema declarationSchema;
    private final Schema receiptSchema;

    public ContractValidator() {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        this.declarationSchema = load(registry, DECLARATION_SCHEMA);
        this.receiptSchema = load(registry, RECEIPT_SCHEMA);
    }

    /** At most this many violations are listed; beyond it the last entry says how many more there are. */
    public static final int MAX_VIOLATIONS = 100;
    /**
     * The shape a declaration stays within, checked before its schema is: no array longer than the
     * longest the schemas allow (a declaration's 100 lines of goods), no object with more members than the
     * widest of them has (17) by a margin, no deeper nesting than theirs (3) by a margin. A body beyond them is
     * refused at once with one violation, so that the work spent on any body within the size limit is bounded.
     */
    public static final int MAX_ARRAY_ITEMS = 100;
    public static final int MAX_OBJECT_MEMBERS = 32;
    public static final int MAX_DEPTH = 8;

    /**
     * The violations of the declaration schema plus the money-scale rule and the resident ID numbers' check
     * digit (GB 11643), at most {@value #MAX_VIOLATIONS}; empty when valid. A body outside the contract's
     * shape ({@link #MAX_ARRAY_ITEMS}, {@link #MAX_OBJECT_MEMBERS}, {@link #MAX_DEPTH}) gets the one
     * violation that says so, before any of its elements is looked at.
     */
    public List<Violation> validateDeclaration(JsonNode declaration) {
        Violation shape = outOfShape(declaration, "", 0);
        if (shape != null) {
            return List.of(shape);
        }
        List<Violation> violations = toViolations(declarationSchema.validate(declaration));
        checkMoneyScale(declaration, "", violations);
        checkResidentId(declaration.path("order").path("buyer"), "idType", "idNumber", "/order/buyer/idNumber", violations);
        checkResidentId(declaration.path("payment"), "payerIdType", "payerIdNumber", "/payment/payerIdNumber", violations);
        violations.sort(Comparator.comparing(Violation::field).thenComparing(Violation::rule));
        return capped(violations);
    }

    /** The first place a message leaves the contract's shape, or null. */
    static Violation outOfShape(JsonNode node, String pointer, int depth) {
        if (!node.isContainer()) {
            return null;
        }
        if (depth >= MAX_DEPTH) {
            return new Violation(pointer, "maxDepth", "nested deeper than any message of the standard (at most "
                    + MAX_DEPTH + " levels); nothing inside was checked");
        }
        if (node.isArray()) {
            if (node.size() > MAX_ARRAY_ITEMS) {
                return new Violation(pointer, "maxItems", "at most " + MAX_ARRAY_ITEMS + " elements, not " + node.size()
                        + "; none of them was checked");
            }
            for (int i = 0; i < node.size(); i++) {
                Violation inner = outOfShape(node.get(i), pointer + "/" + i, depth + 1);
                if (inner != null) {
                    return inner;
                }
            }
            return null;
        }
        if (node.size() > MAX_OBJECT_MEMBERS) {
            return new Violation(pointer, "maxProperties", "at most " + MAX_OBJECT_MEMBERS + " members, not " + node.size()
                    + "; none of them was checked");
        }
        for (var member : node.properties()) {
            Violation inner = outOfShape(member.getValue(), pointer + "/" + member.getKey(), depth + 1);
            if (inner != null) {
                return inner;
            }
        }
        return null;
    }

    /** The first {@value #MAX_VIOLATIONS} - 1 violations and one that counts the rest, if there are more. */
    private static List<Violation> capped(List<Violation> violations) {
        if (violations.size() <= MAX_VIOLATIONS) {
            return violations;
        }
        List<Violation> first = new ArrayList<>(violations.subList(0, MAX_VIOLATIONS - 1));
        first.add(new Violation("", "maxViolations", (violations.size() - first.size())
                + " more rules are broken and not listed; correct these first"));
        return first;
    }

    /** A resident identity card number (ID type 1) of the right shape must also have the right check digit. */
    private static void checkResidentId(JsonNode holder, String typeField, String numberField, String pointer,
                                        List<Violation> violations) {
        JsonNode number = holder.path(numberField);
        if ("1".equals(holder.path(typeField).asString(null)) && number.isString()
                && number.asString().matches("[0-9]{17}[0-9X]") && !ResidentId.isValid(number.asString())) {
            violations.add(new Violation(pointer, "checkDigit",
                    "not a valid resident ID number: the check digit (GB 11643) is wrong"));
        }
    }

    /** The violations of the receipt schema (receipts come from the platform's own agencies, not from outside). */
    public List<Violation> validateReceipt(JsonNode receipt) {
        return toViolations(receiptSchema.validate(receipt));
    }

    /** Read a schema as published, for serving it over HTTP. */
    public static InputStream openSchema(String name) {
        InputStream in = ContractValidator.class.getResourceAsStream("schema/" + name);
        if (in == null) {
            throw new IllegalArgumentException("no schema named " + name);
        }
        return in;
    }

    private static Schema load(SchemaRegistry registry, String name) {
        try (InputStream in = openSchema(name)) {
            return registry.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema " + name, e);
        }
    }

    private static List<Violation> toViolations(List<Error> errors) {
        List<Violation> out = new ArrayList<>(errors.size());
        for (Error error : errors) {
            String pointer = pointer(error.getInstanceLocation().toString());
            String field = pointer;
            // "required" and "additionalProperties" point at the parent object: name the property itself.
            if (error.getProperty() != null
                    && ("required".equals(error.getKeyword()) || "additionalProperties".equals(error.getKeyword()))) {
                field = pointer + "/" + error.getProperty();
            }
            out.add(new Violation(field, error.getKeyword(), error.getMessage()));
        }
        return out;
    }

    /** networknt renders paths as "$.a.b[0]"; we publish JSON Pointers ("/a/b/0"). */
    static String pointer(String path) {
        if (path == null || path.equals("$")) {
            return "";
        }
        String p = path.startsWith("$") ? path.substring(1) : path;
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < p.length() && p.charAt(end) != '.' && p.charAt(end) != '[') {
                    end++;
                }
                out.append('/').append(p, i + 1, end);
                i = end;
            } else if (c == '[') {
                int end = p.indexOf(']', i);
                String inside = p.substring(i + 1, end);
                if (inside.startsWith("'") && inside.endsWith("'")) {
                    inside = inside.substring(1, inside.length() - 1);
                }
                out.append('/').append(inside);
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /**
     * Money travels with at most two decimals (fen), a unit price with at most five (the CEB standard's N19,5);
     * JSON Schema's multipleOf is unreliable on binary floats.
     */
    private static void checkMoneyScale(JsonNode node, String path, List<Violation> violations) {
        if (node == null) {
            return;
        }
        if (node.isObject()) {
            for (var entry : node.properties()) {
                String child = path + "/" + entry.getKey();
                JsonNode value = entry.getValue();
                if (value.isNumber() && MONEY_FIELDS.contains(entry.getKey())) {
                    BigDecimal amount = value.decimalValue();
                    if (amount.stripTrailingZeros().scale() > 2) {
                        violations.add(new Violation(child, "moneyScale",
                                "must have at most 2 decimal places (CNY fen)"));
                    }
                } else if (value.isNumber() && PRICE_FIELDS.contains(entry.getKey())) {
                    if (value.decimalValue().stripTrailingZeros().scale() > 5) {
                        violations.add(new Violation(child, "moneyScale",
                                "must have at most 5 decimal places (the CEB standard's price, N19,5)"));
                    }
                } else {
                    checkMoneyScale(value, child, violations);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkMoneyScale(node.get(i), path + "/" + i, violations);
            }
        }
    }

    private static final java.util.Set<String> MONEY_FIELDS = java.util.Set.of(
            "goodsValue", "freight", "discount", "taxTotal", "actualPaid", "totalPrice",
            "amountPaid", "insuredFee");
    /** A unit price may be finer than a fen (the CEB standard's prices are N19,5): the line's total is in fen. */
    private static final java.util.Set<String> PRICE_FIELDS = java.util.Set.of("unitPrice");
}

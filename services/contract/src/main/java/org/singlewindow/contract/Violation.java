package org.singlewindow.contract;

/**
 * One broken rule in a message: the JSON Pointer of the field, the rule (JSON Schema keyword or a
 * named rule) and a human message.
 */
public record Violation(String field, String rule, String message) {
}

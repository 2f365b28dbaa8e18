package org.singlewindow.declaration.intake;

import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The JSON pointers at which two documents differ (a field added, removed or changed; an array element by index). */
final class JsonChanges {

    private JsonChanges() {
    }

    static void between(JsonNode before, JsonNode after, String at, List<String> changes) {
        if (before != null && after != null && before.isObject() && after.isObject()) {
            Set<String> names = new TreeSet<>(before.propertyNames());
            names.addAll(after.propertyNames());
            for (String name : names) {
                between(before.get(name), after.get(name), at + "/" + name.replace("~", "~0").replace("/", "~1"), changes);
            }
        } else if (before != null && after != null && before.isArray() && after.isArray()) {
            for (int i = 0; i < Math.max(before.size(), after.size()); i++) {
                between(before.get(i), after.get(i), at + "/" + i, changes);
            }
        } else if (!same(before, after)) {
            changes.add(at.isEmpty() ? "/" : at);
        }
    }

    private static boolean same(JsonNode a, JsonNode b) {
        if (a == null || a.isNull()) {
            return b == null || b.isNull();
        }
        if (b == null) {
            return false;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }
}

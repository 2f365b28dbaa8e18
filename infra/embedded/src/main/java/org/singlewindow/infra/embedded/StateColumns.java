package org.singlewindow.infra.embedded;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * For the tests that hold a state column's check constraint equal to its Java enum ("states are types"): the values
 * a constraint allows, read from its definition ({@code pg_get_constraintdef}), and an enum's names.
 */
public final class StateColumns {

    /** The constraint's definition as PostgreSQL prints it, by name. */
    public static final String DEFINITION = "select pg_get_constraintdef(oid) from pg_constraint where conname = ?";

    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");

    private StateColumns() {
    }

    /** The quoted values of a check constraint's definition, sorted. */
    public static Set<String> allowed(String definition) {
        Set<String> values = new TreeSet<>();
        Matcher quoted = QUOTED.matcher(definition);
        while (quoted.find()) {
            values.add(quoted.group(1));
        }
        return values;
    }

    /** An enum's (or a set of enum constants') names, sorted. */
    public static Set<String> names(Enum<?>... values) {
        return Arrays.stream(values).map(Enum::name).collect(Collectors.toCollection(TreeSet::new));
    }
}

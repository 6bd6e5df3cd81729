package org.sluice.launcher;

import java.util.Properties;

/** Reading the launcher's own -D settings. */
final class PropertyValues {
    private PropertyValues() {
    }

    /** A positive whole number; a missing, malformed or non-positive value gives the default, with a warning. */
    static long positiveLong(Properties system, String key, long defaultValue) {
        String value = system.getProperty(key);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below, with the key
        }
        System.err.println("sluice: -D" + key + "=" + value + " is not a positive whole number: using " + defaultValue);
        return defaultValue;
    }
}

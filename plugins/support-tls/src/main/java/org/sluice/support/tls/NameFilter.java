package org.sluice.support.tls;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Flume's include and exclude lists of TLS protocols or cipher suites ({@code include-protocols} /
 * {@code exclude-protocols}, {@code include-cipher-suites} / {@code exclude-cipher-suites}): names separated by
 * spaces or commas, matched in any case; an excluded name is never used, even when included.
 */
final class NameFilter {
    private final Set<String> include;
    private final Set<String> exclude;

    NameFilter(String include, String exclude) {
        this.include = words(include);
        this.exclude = words(exclude);
    }

    /** True when names are included explicitly (so an empty selection is the include list's doing). */
    boolean includesNames() {
        return !include.isEmpty();
    }

    /**
     * Without an include list, the names the JVM enables by default less the excluded ones (as Flume). With one,
     * the supported names it lists less the excluded ones: starting from the defaults keeps what the JVM leaves
     * off (old protocols, weak suites) off unless a user names it.
     */
    String[] select(String[] enabledByDefault, String[] supported) {
        return Arrays.stream(include.isEmpty() ? enabledByDefault : supported)
                .filter(name -> include.isEmpty() || include.contains(name.toLowerCase(Locale.ROOT)))
                .filter(name -> !exclude.contains(name.toLowerCase(Locale.ROOT)))
                .toArray(String[]::new);
    }

    private static Set<String> words(String list) {
        Set<String> words = new LinkedHashSet<>();
        for (String word : list.trim().split("[\\s,]+")) {
            if (!word.isEmpty()) {
                words.add(word.toLowerCase(Locale.ROOT));
            }
        }
        return words;
    }
}

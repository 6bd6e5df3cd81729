package org.sluice.itests.osgi.support;

import static org.junit.Assert.assertTrue;

/**
 * Assertions on messages. Tests inside the framework do not use hamcrest matchers: JUnit's bundle carries
 * hamcrest 1.3, Awaitility (behind {@link Await}) needs hamcrest 2, and a probe that loads hamcrest itself is
 * then wired to one of the two against the other, and fails with ClassNotFoundException.
 */
public final class TextAssertions {

    private TextAssertions() {
    }

    public static void assertContains(String actual, String part) {
        assertTrue("expected to contain \"" + part + "\": " + actual, actual != null && actual.contains(part));
    }
}

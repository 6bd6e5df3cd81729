package org.sluice.platform.configtest;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A file of configuration tests (docs/config-tests.md): which configuration and agent they test, and the tests,
 * each events put into one source and what its interceptors and channel selector are to make of them. A
 * properties file, read strictly: an unknown key is an error, so a misspelt expectation cannot pass unseen.
 *
 * @param file   the suite's file
 * @param config the agent configuration ({@code config}, relative to the suite's directory)
 * @param agent  the agent of it ({@code agent})
 * @param tests  the tests, in the order of their names
 */
public record ConfigTestSuite(Path file, Optional<Path> config, Optional<String> agent, List<ConfigTest> tests) {

    private static final Pattern TEST_KEY = Pattern.compile("test\\.([A-Za-z0-9_-]+)\\.(.+)");
    private static final Pattern INPUT_KEY = Pattern.compile("input\\.(\\d+)\\.(body|headers\\.(.+))");
    private static final Pattern EXPECT_KEY = Pattern.compile(
            "expect\\.(\\d+)\\.(body|bodyMatching|channels|optionalChannels|headersAbsent"
                    + "|headers\\.(.+)|headersMatching\\.(.+))");

    public ConfigTestSuite {
        tests = List.copyOf(tests);
    }

    /** One test: events in, the events expected out of the interceptors, with the channels chosen for each. */
    public record ConfigTest(String name, Optional<String> source, List<InputEvent> input,
            List<ExpectedEvent> expected, OptionalInt count) {

        public ConfigTest {
            input = List.copyOf(input);
            expected = List.copyOf(expected);
        }

        /** How many events are to come out: {@code expect.count}, else as many as are described. */
        public int expectedCount() {
            return count.orElse(expected.size());
        }
    }

    /** An event as the source would make it. */
    public record InputEvent(String body, Map<String, String> headers) {
        public InputEvent {
            headers = Map.copyOf(headers);
        }
    }

    /**
     * What the N-th event out (1-based) is to be; an empty field is not checked.
     *
     * @param channels         the required channels the selector chooses, in any order
     * @param optionalChannels the optional ones
     */
    public record ExpectedEvent(int index, Optional<String> body, Optional<Pattern> bodyMatching,
            Map<String, String> headers, Map<String, Pattern> headersMatching, Set<String> headersAbsent,
            Optional<Set<String>> channels, Optional<Set<String>> optionalChannels) {
    }

    /** A suite that cannot be read: names the file and the key. */
    public static final class SuiteException extends Exception {
        private static final long serialVersionUID = 1L;

        public SuiteException(String message) {
            super(message);
        }
    }

    public static ConfigTestSuite read(Path file) throws IOException, SuiteException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        Map<String, Map<String, String>> byTest = new TreeMap<>();
        Optional<Path> config = Optional.empty();
        Optional<String> agent = Optional.empty();
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            String value = properties.getProperty(key);
            if (key.equals("config")) {
                Path base = file.toAbsolutePath().getParent();
                config = Optional.of(base.resolve(value.trim()).normalize());
            } else if (key.equals("agent")) {
                agent = Optional.of(value.trim());
            } else {
                Matcher matcher = TEST_KEY.matcher(key);
                if (!matcher.matches()) {
                    throw new SuiteException(file + ": unknown key '" + key + "' (keys are config, agent and "
                            + "test.NAME.*)");
                }
                byTest.computeIfAbsent(matcher.group(1), name -> new TreeMap<>()).put(matcher.group(2), value);
            }
        }
        List<ConfigTest> tests = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> test : byTest.entrySet()) {
            tests.add(test(file, test.getKey(), test.getValue()));
        }
        if (tests.isEmpty()) {
            throw new SuiteException(file + ": no tests (keys test.NAME.*)");
        }
        return new ConfigTestSuite(file, config, agent, tests);
    }

    private static ConfigTest test(Path file, String name, Map<String, String> keys) throws SuiteException {
        String where = file + ": test '" + name + "'";
        Optional<String> source = Optional.empty();
        OptionalInt count = OptionalInt.empty();
        TreeMap<Integer, String> bodies = new TreeMap<>();
        TreeMap<Integer, Map<String, String>> inputHeaders = new TreeMap<>();
        List<String> lines = null;
        TreeMap<Integer, Map<String, String>> expectations = new TreeMap<>();
        for (Map.Entry<String, String> entry : keys.entrySet()) {
            String key = entry.getKey();
            String value = entry.getValue();
            Matcher input = INPUT_KEY.matcher(key);
            Matcher expect = EXPECT_KEY.matcher(key);
            if (key.equals("source")) {
                source = Optional.of(value.trim());
            } else if (key.equals("lines")) {
                lines = List.of(value.split("\n", -1));
            } else if (key.equals("expect.count")) {
                count = OptionalInt.of(number(where, key, value));
            } else if (input.matches()) {
                int index = index(where, key, input.group(1));
                if (input.group(3) == null) {
                    bodies.put(index, value);
                } else {
                    inputHeaders.computeIfAbsent(index, i -> new LinkedHashMap<>()).put(input.group(3), value);
                }
                bodies.putIfAbsent(index, null);
            } else if (expect.matches()) {
                int index = index(where, key, expect.group(1));
                expectations.computeIfAbsent(index, i -> new TreeMap<>()).put(expect.group(2), value);
            } else {
                throw new SuiteException(where + ": unknown key 'test." + name + "." + key + "' (source, lines, "
                        + "input.N.body, input.N.headers.H, expect.count, expect.N.body, expect.N.bodyMatching, "
                        + "expect.N.headers.H, expect.N.headersMatching.H, expect.N.headersAbsent, "
                        + "expect.N.channels, expect.N.optionalChannels)");
            }
        }
        List<InputEvent> events = new ArrayList<>();
        if (lines != null) {
            if (!bodies.isEmpty()) {
                throw new SuiteException(where + ": give its events as lines or as input.N, not both");
            }
            lines.forEach(line -> events.add(new InputEvent(line, Map.of())));
        }
        consecutive(where, "input", bodies.keySet());
        for (Map.Entry<Integer, String> body : bodies.entrySet()) {
            events.add(new InputEvent(body.getValue() == null ? "" : body.getValue(),
                    inputHeaders.getOrDefault(body.getKey(), Map.of())));
        }
        if (events.isEmpty()) {
            throw new SuiteException(where + ": no events in (lines or input.N.body)");
        }
        consecutive(where, "expect", expectations.keySet());
        List<ExpectedEvent> expected = new ArrayList<>();
        for (Map.Entry<Integer, Map<String, String>> expectation : expectations.entrySet()) {
            expected.add(expected(where, expectation.getKey(), expectation.getValue()));
        }
        if (count.isPresent() && count.getAsInt() < expected.size()) {
            throw new SuiteException(where + ": expect.count = " + count.getAsInt() + " but " + expected.size()
                    + " events are described");
        }
        return new ConfigTest(name, source, events, expected, count);
    }

    private static ExpectedEvent expected(String where, int index, Map<String, String> keys) throws SuiteException {
        Optional<String> body = Optional.empty();
        Optional<Pattern> bodyMatching = Optional.empty();
        Map<String, String> headers = new TreeMap<>();
        Map<String, Pattern> headersMatching = new TreeMap<>();
        Set<String> absent = new TreeSet<>();
        Optional<Set<String>> channels = Optional.empty();
        Optional<Set<String>> optional = Optional.empty();
        for (Map.Entry<String, String> entry : keys.entrySet()) {
            String key = entry.getKey();
            String value = entry.getValue();
            String full = "expect." + index + "." + key;
            if (key.equals("body")) {
                body = Optional.of(value);
            } else if (key.equals("bodyMatching")) {
                bodyMatching = Optional.of(pattern(where, full, value));
            } else if (key.equals("channels")) {
                channels = Optional.of(names(value));
            } else if (key.equals("optionalChannels")) {
                optional = Optional.of(names(value));
            } else if (key.equals("headersAbsent")) {
                absent.addAll(names(value));
            } else if (key.startsWith("headersMatching.")) {
                headersMatching.put(key.substring("headersMatching.".length()), pattern(where, full, value));
            } else {
                headers.put(key.substring("headers.".length()), value);
            }
        }
        return new ExpectedEvent(index, body, bodyMatching, headers, headersMatching, absent, channels, optional);
    }

    private static Set<String> names(String value) {
        Set<String> names = new LinkedHashSet<>();
        for (String name : value.trim().split("[\\s,]+")) {
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }

    private static Pattern pattern(String where, String key, String value) throws SuiteException {
        try {
            return Pattern.compile(value);
        } catch (PatternSyntaxException e) {
            throw new SuiteException(where + ": " + key + " is not a regular expression: " + e.getDescription());
        }
    }

    private static int index(String where, String key, String digits) throws SuiteException {
        int index = number(where, key, digits);
        if (index < 1) {
            throw new SuiteException(where + ": " + key + ": events are numbered from 1");
        }
        return index;
    }

    private static int number(String where, String key, String value) throws SuiteException {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new SuiteException(where + ": " + key + " = '" + value + "' is not a whole number");
        }
    }

    /** input.1, input.2, ... with none missing: a gap is a typo more often than an intent. */
    private static void consecutive(String where, String what, Set<Integer> indexes) throws SuiteException {
        int expected = 1;
        for (int index : indexes) {
            if (index != expected) {
                throw new SuiteException(where + ": " + what + "." + expected + " is missing (they are numbered "
                        + "1, 2, 3, ...)");
            }
            expected++;
        }
    }
}

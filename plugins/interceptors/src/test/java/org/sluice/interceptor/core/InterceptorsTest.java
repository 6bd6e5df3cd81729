package org.sluice.interceptor.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.sluice.api.component.ComponentKind;
import org.sluice.api.component.ConfigurationException;
import org.sluice.api.event.Event;
import org.sluice.api.event.EventBuilder;
import org.sluice.api.component.ProviderUnavailableException;
import org.sluice.api.interceptor.HeaderValueSerializerFactory;
import org.sluice.api.interceptor.Interceptor;
import org.sluice.api.interceptor.InterceptorFactory;
import org.sluice.support.interceptor.HeaderWriter;
import org.sluice.testkit.TestContexts;

class InterceptorsTest {

    private static Interceptor create(InterceptorFactory factory, Map<String, String> properties)
            throws Exception {
        Interceptor interceptor = factory.create(
                TestContexts.plain(ComponentKind.INTERCEPTOR, "r1.interceptors.i1", properties));
        interceptor.start();
        return interceptor;
    }

    private static ConfigurationException rejected(InterceptorFactory factory, Map<String, String> properties) {
        return assertThrows(ConfigurationException.class, () -> factory.create(
                TestContexts.plain(ComponentKind.INTERCEPTOR, "r1.interceptors.i1", properties)));
    }

    private static HeaderWriter header(String name, boolean preserveExisting) {
        try {
            return HeaderWriter.configured(TestContexts.plain(ComponentKind.INTERCEPTOR, "r1.i1", Map.of()),
                    "headerName", name, preserveExisting);
        } catch (ConfigurationException e) {
            throw new AssertionError(e);
        }
    }

    private static Event event(String body, String... headers) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            map.put(headers[i], headers[i + 1]);
        }
        return EventBuilder.withBody(body, StandardCharsets.UTF_8, map);
    }

    private static String body(Event event) {
        return new String(event.getBody(), StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------ timestamp

    @Test
    void timestampPutsTheCurrentTimeInMillisIntoTimestamp() throws Exception {
        Interceptor interceptor = create(new TimestampInterceptorFactory(), Map.of("type", "timestamp"));
        long before = System.currentTimeMillis();
        Event out = interceptor.intercept(event("x", "timestamp", "1"));
        long stamped = Long.parseLong(out.getHeaders().get("timestamp"));
        assertTrue(stamped >= before && stamped <= System.currentTimeMillis(), "overwritten: preserveExisting false");
    }

    @Test
    void timestampPreservesAnExistingValueWhenAskedAndHonoursHeaderName() throws Exception {
        Interceptor interceptor = create(new TimestampInterceptorFactory(),
                Map.of("preserveExisting", "true", "headerName", "ts"));
        assertEquals("1", interceptor.intercept(event("x", "ts", "1")).getHeaders().get("ts"));
        assertNotNull(interceptor.intercept(event("x")).getHeaders().get("ts"));
        assertFalse(interceptor.intercept(event("x")).getHeaders().containsKey("timestamp"));
    }

    @Test
    void timestampUsesItsClock() {
        Interceptor interceptor = new TimestampInterceptorFactory.TimestampInterceptor(header("timestamp", false),
                () -> 42L);
        assertEquals("42", interceptor.intercept(event("x")).getHeaders().get("timestamp"));
    }

    // ------------------------------------------------------------ host

    @Test
    void hostPutsTheAddressUnderHostByDefault() throws Exception {
        Interceptor interceptor = new HostInterceptorFactory.HostInterceptor("i1", header("host", false), true,
                useIP -> useIP ? "10.0.0.7" : "web1.example.com");
        interceptor.start();
        assertEquals("10.0.0.7", interceptor.intercept(event("x", "host", "old")).getHeaders().get("host"));
    }

    @Test
    void hostWithUseIpFalseAndPreserveExistingAsInFlumesExample() throws Exception {
        Interceptor interceptor = new HostInterceptorFactory.HostInterceptor("i1", header("hostname", true), false,
                useIP -> useIP ? "10.0.0.7" : "web1.example.com");
        interceptor.start();
        assertEquals("web1.example.com", interceptor.intercept(event("x")).getHeaders().get("hostname"));
        assertEquals("kept", interceptor.intercept(event("x", "hostname", "kept")).getHeaders().get("hostname"));
    }

    @Test
    void hostOnTheRealMachineGivesAValueAndAFailedLookupFailsTheStart() throws Exception {
        Interceptor real = create(new HostInterceptorFactory(), Map.of("hostHeader", "h"));
        assertNotNull(real.intercept(event("x")).getHeaders().get("h"));

        Interceptor broken = new HostInterceptorFactory.HostInterceptor("r1.interceptors.i1", header("host", false), true,
                useIP -> {
                    throw new UnknownHostException("no such host");
                });
        UnknownHostException e = assertThrows(UnknownHostException.class, broken::start);
        assertTrue(e.getMessage().contains("r1.interceptors.i1"), e.getMessage());
    }

    // ------------------------------------------------------------ static

    @Test
    void staticAddsFlumesExampleHeaderAndPreservesByDefault() throws Exception {
        Interceptor interceptor = create(new StaticInterceptorFactory(),
                Map.of("key", "datacenter", "value", "NEW_YORK"));
        assertEquals("NEW_YORK", interceptor.intercept(event("x")).getHeaders().get("datacenter"));
        assertEquals("LA", interceptor.intercept(event("x", "datacenter", "LA")).getHeaders().get("datacenter"));
    }

    @Test
    void staticDefaultsAreKeyAndValueAndPreserveFalseOverwrites() throws Exception {
        assertEquals("value", create(new StaticInterceptorFactory(), Map.of()).intercept(event("x"))
                .getHeaders().get("key"));
        Interceptor overwrite = create(new StaticInterceptorFactory(), Map.of("preserveExisting", "false"));
        assertEquals("value", overwrite.intercept(event("x", "key", "old")).getHeaders().get("key"));
        assertEquals("key", rejected(new StaticInterceptorFactory(), Map.of("key", "")).key());
    }

    // ------------------------------------------------------------ regex_filter

    @Test
    void regexFilterDefaultKeepsEverything() throws Exception {
        Interceptor interceptor = create(new RegexFilteringInterceptorFactory(), Map.of());
        List<Event> in = List.of(event("a"), event(""), event("b"));
        assertEquals(3, interceptor.intercept(in).size());
    }

    @Test
    void regexFilterIncludesOrExcludesByAFindInTheBody() throws Exception {
        Interceptor include = create(new RegexFilteringInterceptorFactory(), Map.of("regex", "ERROR"));
        Interceptor exclude = create(new RegexFilteringInterceptorFactory(),
                Map.of("regex", "^DEBUG", "excludeEvents", "true"));
        assertNotNull(include.intercept(event("12:00 ERROR disk full")));
        assertNull(include.intercept(event("12:00 INFO fine")));
        assertNull(exclude.intercept(event("DEBUG noise")));
        assertNotNull(exclude.intercept(event("INFO DEBUG later in the line")));
    }

    @Test
    void regexFilterBatchDropsWithoutGrowingAndNeverReturnsNull() throws Exception {
        Interceptor interceptor = create(new RegexFilteringInterceptorFactory(), Map.of("regex", "keep"));
        List<Event> in = new ArrayList<>(List.of(event("keep 1"), event("drop"), event("keep 2"), event("drop")));
        List<Event> out = interceptor.intercept(in);
        assertEquals(List.of("keep 1", "keep 2"), out.stream().map(InterceptorsTest::body).toList());
        assertEquals(4, in.size(), "the input list is left as it was");
        List<Event> none = interceptor.intercept(List.of(event("drop"), event("drop")));
        assertNotNull(none);
        assertTrue(none.isEmpty());
        assertTrue(interceptor.intercept(List.of()).isEmpty());
    }

    @Test
    void regexFilterRejectsAnInvalidRegexNamingTheKey() {
        ConfigurationException e = rejected(new RegexFilteringInterceptorFactory(), Map.of("regex", "(unclosed"));
        assertEquals("regex", e.key());
        assertTrue(e.getMessage().contains("r1.interceptors.i1"), e.getMessage());
    }

    // ------------------------------------------------------------ regex_extractor

    @Test
    void regexExtractorFlumesFirstExample() throws Exception {
        Interceptor interceptor = create(new RegexExtractorInterceptorFactory(), Map.of(
                "regex", "(\\d):(\\d):(\\d)",
                "serializers", "s1 s2 s3",
                "serializers.s1.name", "one",
                "serializers.s2.name", "two",
                "serializers.s3.name", "three"));
        Event out = interceptor.intercept(event("1:2:3.4foobar5"));
        assertEquals(Map.of("one", "1", "two", "2", "three", "3"), out.getHeaders());
        assertEquals("1:2:3.4foobar5", body(out));
    }

    @Test
    void regexExtractorFlumesSecondExampleWithTheMillisSerializer() {
        // Flume's documented result, 1350611220000, is 2012-10-18 18:47 on the US west coast (UTC-7 then).
        RegexExtractorInterceptorFactory.MillisSerializer millis = new RegexExtractorInterceptorFactory.MillisSerializer(
                "yyyy-MM-dd HH:mm", ZoneId.of("America/Los_Angeles"));
        Interceptor interceptor = new RegexExtractorInterceptorFactory.RegexExtractorInterceptor("i1",
                java.util.regex.Pattern.compile("^(?:\\n)?(\\d\\d\\d\\d-\\d\\d-\\d\\d\\s\\d\\d:\\d\\d)"),
                List.of(new RegexExtractorInterceptorFactory.NamedSerializer("timestamp", millis)));
        Event out = interceptor.intercept(event("2012-10-18 18:47:57,614 some log line"));
        assertEquals("1350611220000", out.getHeaders().get("timestamp"));
    }

    @Test
    void regexExtractorConfiguresTheMillisSerializerByFlumesClassName() throws Exception {
        Interceptor interceptor = create(new RegexExtractorInterceptorFactory(), Map.of(
                "regex", "^(\\d{4}-\\d\\d-\\d\\d)",
                "serializers", "s1",
                "serializers.s1.type", RegexExtractorInterceptorFactory.MILLIS,
                "serializers.s1.name", "day",
                "serializers.s1.pattern", "yyyy-MM-dd"));
        String expected = Long.toString(java.time.LocalDate.of(2012, 10, 18).atStartOfDay(ZoneId.systemDefault())
                .toInstant().toEpochMilli());
        assertEquals(expected, interceptor.intercept(event("2012-10-18 x")).getHeaders().get("day"));
        assertTrue(interceptor.intercept(event("no date")).getHeaders().isEmpty(), "no match: unchanged");
    }

    @Test
    void regexExtractorLeavesOutAValueTheDatePatternCannotParseButKeepsTheEvent() throws Exception {
        Interceptor interceptor = create(new RegexExtractorInterceptorFactory(), Map.of(
                "regex", "^(\\S+) (\\S+)",
                "serializers", "s1 s2",
                "serializers.s1.type", RegexExtractorInterceptorFactory.MILLIS,
                "serializers.s1.name", "day",
                "serializers.s1.pattern", "yyyy-MM-dd",
                "serializers.s2.type", RegexExtractorInterceptorFactory.PASS_THROUGH,
                "serializers.s2.name", "word"));
        Event out = interceptor.intercept(event("notadate hello"));
        assertNotNull(out);
        assertEquals(Map.of("word", "hello"), out.getHeaders());
    }

    @Test
    void regexExtractorIgnoresGroupsBeyondTheSerializersAndOptionalGroupsThatDidNotMatch() throws Exception {
        Interceptor interceptor = create(new RegexExtractorInterceptorFactory(), Map.of(
                "regex", "(a)(x)?(c)",
                "serializers", "s1,s2",
                "serializers.s1.name", "first",
                "serializers.s2.name", "second"));
        assertEquals(Map.of("first", "a"), interceptor.intercept(event("ac")).getHeaders());
    }

    @Test
    void regexExtractorWaitsForAPluginsSerializerNamingItsKey() {
        ConfigurationException e = rejected(new RegexExtractorInterceptorFactory(), Map.of("regex", "(a)",
                "serializers", "s1", "serializers.s1.name", "a", "serializers.s1.type", "com.example.MySerializer"));
        assertTrue(e instanceof ProviderUnavailableException, e.toString());
        assertEquals("serializers.s1.type", e.key());
        assertTrue(e.getMessage().contains("com.example.MySerializer"), e.getMessage());
    }

    @Test
    void regexExtractorFormatsAGroupWithAPluginsSerializerConfiguredByItsKeys() throws Exception {
        List<String> prefixes = new ArrayList<>();
        HeaderValueSerializerFactory bracketing = (owner, keyPrefix) -> {
            prefixes.add(keyPrefix);
            String open = owner.subProperties(keyPrefix).get("open");
            return value -> value.equals("refuse") ? fail(value) : open + value + "]";
        };
        Interceptor interceptor = new RegexExtractorInterceptorFactory().create(TestContexts
                .withPart(HeaderValueSerializerFactory.class, "com.example.Bracket", bracketing)
                .plain(ComponentKind.INTERCEPTOR, "r1.interceptors.i1", Map.of("regex", "user=(\\w+)",
                        "serializers", "s1", "serializers.s1.name", "user",
                        "serializers.s1.type", "com.example.Bracket", "serializers.s1.open", "[")));
        assertEquals(Map.of("user", "[ann]"), interceptor.intercept(event("user=ann")).getHeaders());
        // A serializer that throws costs the event its header, never the event (which would stall the source).
        assertEquals(Map.of(), interceptor.intercept(event("user=refuse")).getHeaders());
        assertEquals(List.of("serializers.s1."), prefixes);
    }

    private static String fail(String value) {
        throw new IllegalArgumentException("refused " + value);
    }

    @Test
    void regexExtractorRejectsWhatItCannotDoNamingTheKey() {
        RegexExtractorInterceptorFactory factory = new RegexExtractorInterceptorFactory();
        assertEquals("regex", rejected(factory, Map.of("serializers", "s1", "serializers.s1.name", "a")).key());
        assertEquals("serializers", rejected(factory, Map.of("regex", "(a)")).key());
        assertEquals("serializers.s1.name", rejected(factory, Map.of("regex", "(a)", "serializers", "s1")).key());
        assertEquals("serializers.s1.pattern", rejected(factory, Map.of("regex", "(a)", "serializers", "s1",
                "serializers.s1.name", "a", "serializers.s1.type", RegexExtractorInterceptorFactory.MILLIS)).key());
        assertTrue(factory.openKeyPrefixes().contains("serializers."));
    }

    // ------------------------------------------------------------ uuid

    @Test
    void uuidPutsARandomUuidIntoIdAndPreservesByDefault() throws Exception {
        Interceptor interceptor = create(new UuidInterceptorFactory(), Map.of());
        String id = interceptor.intercept(event("x")).getHeaders().get("id");
        assertEquals(id, UUID.fromString(id).toString());
        assertFalse(id.equals(interceptor.intercept(event("x")).getHeaders().get("id")));
        assertEquals("given", interceptor.intercept(event("x", "id", "given")).getHeaders().get("id"));
    }

    @Test
    void uuidWithPrefixHeaderNameAndOverwrite() throws Exception {
        Interceptor interceptor = create(new UuidInterceptorFactory(),
                Map.of("headerName", "eventId", "prefix", "web1-", "preserveExisting", "false"));
        String id = interceptor.intercept(event("x", "eventId", "given")).getHeaders().get("eventId");
        assertTrue(id.startsWith("web1-"), id);
        UUID.fromString(id.substring("web1-".length()));
    }

    // ------------------------------------------------------------ remove_header

    @Test
    void removeHeaderByNameListAndPattern() throws Exception {
        Interceptor interceptor = create(new RemoveHeaderInterceptorFactory(), Map.of(
                "withName", "secret",
                "fromList", "a , b,c",
                "matching", "tmp-.*"));
        Event out = interceptor.intercept(event("x", "secret", "1", "a", "1", "b", "1", "c", "1",
                "tmp-1", "1", "tmp-2", "1", "keep", "1", "xtmp-3", "1"));
        assertEquals(Map.of("keep", "1", "xtmp-3", "1"), out.getHeaders(), "matching is a whole-name match");
    }

    @Test
    void removeHeaderWithACustomSeparatorAndNothingConfiguredChangesNothing() throws Exception {
        Interceptor custom = create(new RemoveHeaderInterceptorFactory(),
                Map.of("fromList", "a;b", "fromListSeparator", ";"));
        assertEquals(Map.of("c", "1"), custom.intercept(event("x", "a", "1", "b", "1", "c", "1")).getHeaders());
        Interceptor none = create(new RemoveHeaderInterceptorFactory(), Map.of());
        Event in = event("x", "a", "1");
        assertSame(in, none.intercept(in));
        assertEquals(Map.of("a", "1"), in.getHeaders());
        assertEquals("matching", rejected(new RemoveHeaderInterceptorFactory(), Map.of("matching", "[")).key());
    }

    // ------------------------------------------------------------ search_replace

    @Test
    void searchReplaceFlumesFirstExampleRemovesALeadingWord() throws Exception {
        Interceptor interceptor = create(new SearchAndReplaceInterceptorFactory(),
                Map.of("searchPattern", "^[A-Za-z0-9_]+", "replaceString", ""));
        assertEquals(" and the rest", body(interceptor.intercept(event("Word_1 and the rest"))));
    }

    @Test
    void searchReplaceFlumesSecondExampleReordersGroups() throws Exception {
        Interceptor interceptor = create(new SearchAndReplaceInterceptorFactory(), Map.of(
                "searchPattern", "The quick brown ([a-z]+) jumped over the lazy ([a-z]+)",
                "replaceString", "The hungry $2 ate the careless $1"));
        assertEquals("The hungry dog ate the careless fox",
                body(interceptor.intercept(event("The quick brown fox jumped over the lazy dog"))));
    }

    @Test
    void searchReplaceUsesTheCharsetAndKeepsSpacesInTheReplacement() throws Exception {
        Interceptor interceptor = create(new SearchAndReplaceInterceptorFactory(),
                Map.of("searchPattern", "é", "replaceString", " e ", "charset", "ISO-8859-1"));
        Event in = EventBuilder.withBody("caf\u00e9!".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("caf e !", new String(interceptor.intercept(in).getBody(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void searchReplaceRejectsMissingOrBadSettingsNamingTheKey() {
        SearchAndReplaceInterceptorFactory factory = new SearchAndReplaceInterceptorFactory();
        assertEquals("searchPattern", rejected(factory, Map.of("replaceString", "x")).key());
        assertEquals("replaceString", rejected(factory, Map.of("searchPattern", "x")).key());
        assertEquals("searchPattern", rejected(factory, Map.of("searchPattern", "", "replaceString", "x")).key());
        assertEquals("charset", rejected(factory,
                Map.of("searchPattern", "x", "replaceString", "y", "charset", "NOPE-1")).key());
        assertEquals("replaceString", rejected(factory, Map.of("searchPattern", "(x)", "replaceString", "$2")).key());
    }

    // ------------------------------------------------------------ batch form

    @Test
    void everyInterceptorThatDropsNothingTreatsEachEventOfABatchAsItTreatsOne() throws Exception {
        // The batch form of these is their own (see InPlace): every event passed through, in order, none dropped,
        // and the batch may be an unmodifiable list.
        Map<String, Interceptor> interceptors = Map.of(
                "timestamp", create(new TimestampInterceptorFactory(), Map.of()),
                "host", create(new HostInterceptorFactory(), Map.of("hostHeader", "h")),
                "static", create(new StaticInterceptorFactory(), Map.of("key", "k", "value", "v")),
                "uuid", create(new UuidInterceptorFactory(), Map.of()),
                "remove_header", create(new RemoveHeaderInterceptorFactory(), Map.of("withName", "drop")),
                "search_replace", create(new SearchAndReplaceInterceptorFactory(),
                        Map.of("searchPattern", "secret", "replaceString", "***")),
                "regex_extractor", create(new RegexExtractorInterceptorFactory(), Map.of("regex", "n=(\\d+)",
                        "serializers", "s1", "serializers.s1.name", "n")));
        Map<String, String> expectedHeader = Map.of("timestamp", "timestamp", "host", "h", "static", "k",
                "uuid", "id", "regex_extractor", "n");
        for (Map.Entry<String, Interceptor> each : interceptors.entrySet()) {
            List<Event> batch = List.of(event("secret n=1", "drop", "x"), event("secret n=2", "drop", "y"),
                    event("secret n=3", "drop", "z"));
            List<Event> out = each.getValue().intercept(batch);
            assertEquals(3, out.size(), each.getKey());
            for (int i = 0; i < 3; i++) {
                assertSame(batch.get(i), out.get(i), each.getKey() + ": event " + i + " in its place");
                String header = expectedHeader.get(each.getKey());
                if (header != null) {
                    assertNotNull(out.get(i).getHeaders().get(header), each.getKey() + " on event " + i);
                }
            }
            if (each.getKey().equals("remove_header")) {
                out.forEach(e -> assertFalse(e.getHeaders().containsKey("drop")));
            }
            if (each.getKey().equals("search_replace")) {
                assertEquals("*** n=2", body(out.get(1)));
            }
            if (each.getKey().equals("regex_extractor")) {
                assertEquals("3", out.get(2).getHeaders().get("n"));
            }
        }
    }
}

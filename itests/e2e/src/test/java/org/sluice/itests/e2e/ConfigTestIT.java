package org.sluice.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * {@code bin/sluice test} on the sample suites the distribution ships in conf/examples/tests/: the one that
 * passes exits 0 with every test passed, the one written to fail exits 1 naming each difference; a suite with a
 * misspelt key is refused.
 */
class ConfigTestIT {

    @Test
    void theSampleSuitePassesThroughTheRealInterceptorsAndSelector() throws Exception {
        Installation sluice = Installation.fresh();
        AgentProcess run = AgentProcess.run(sluice, "test", "conf/examples/tests/multiplexing-by-level.tests.properties");
        String output = run.output();
        assertEquals(0, run.exitValue(), output);
        for (String test : new String[] {"errors-also-go-to-alerts", "other-lines-go-to-all-only", "debug-is-dropped",
                "passwords-are-masked"}) {
            assertTrue(output.contains("PASS  " + test), test + " passes:\n" + output);
        }
        assertTrue(output.contains("4 tests: 4 passed, 0 failed"), output);
    }

    @Test
    void theFailingSampleExitsOneWithEachDifference() throws Exception {
        Installation sluice = Installation.fresh();
        AgentProcess run = AgentProcess.run(sluice, "test", "conf/examples/tests/failing-example.tests.properties");
        String output = run.output();
        assertEquals(1, run.exitValue(), output);
        assertTrue(output.contains("FAIL  warnings-are-alerts (source r1)"), output);
        assertTrue(output.contains("event 1 channels: expected [alerts, all] but was [all]"), output);
        assertTrue(output.contains("FAIL  debug-is-kept (source r1)"), output);
        assertTrue(output.contains("expected 1 event(s) out of the interceptors, but 0 came out"), output);
        assertTrue(output.contains("2 tests: 0 passed, 2 failed"), output);
    }

    @Test
    void aSuiteOfItsOwnAgainstAnotherFileWithAMisspeltKeyIsAnError() throws Exception {
        Installation sluice = Installation.fresh();
        Path suite = sluice.resolve("conf/my.tests.properties");
        // -f and -n stand for the suite's config and agent; "expect.1.header.level" (for headers.level) is a typo.
        Files.writeString(suite, String.join("\n",
                "test.typo.lines = ERROR x",
                "test.typo.expect.1.header.level = ERROR",
                ""), StandardCharsets.UTF_8);
        AgentProcess run = AgentProcess.run(sluice, "test", "-f", "conf/examples/multiplexing-by-level.properties",
                "-n", "a1", suite.toString());
        assertEquals(1, run.exitValue(), run.output());
        assertTrue(run.output().contains("unknown key 'test.typo.expect.1.header.level'"), run.output());
    }
}

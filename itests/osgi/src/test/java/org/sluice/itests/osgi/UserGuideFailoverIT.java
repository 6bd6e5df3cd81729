package org.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Set;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.sluice.itests.osgi.support.FileRollOutput;
import org.sluice.itests.osgi.support.NextHop;

/**
 * The User Guide's Failover Sink Processor example: priority.k1 = 5, priority.k2 = 10, maxpenalty 10000. "A
 * higher priority value Sink gets activated earlier": while the next agent is up, every event goes through k2 and
 * none is written by k1. "If a Sink fails while sending a Event the next Sink with highest priority shall be
 * tried": with the next agent down, k1 writes every event sent after, and none is lost.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class UserGuideFailoverIT extends UserGuideSinkGroupIT {

    private static final int EVENTS = 200;

    @Override
    protected String exampleFile() {
        return "sinkgroup-failover.properties";
    }

    @Test
    public void theHigherPrioritySinkTakesEverythingUntilItFailsThenTheOtherOne() throws Exception {
        NextHop nextHop = startAgents();
        FileRollOutput k1 = k1();

        send(0, EVENTS, 50);
        nextHop.output().awaitAll(0, EVENTS);
        assertEquals("k1 (priority 5) writes nothing while k2 (priority 10) delivers", 0, k1.lines().size());

        nextHop.stopSource();
        send(EVENTS, 2 * EVENTS, 50);
        Set<Long> byK1 = k1.awaitAll(EVENTS, 2 * EVENTS);
        awaitDelivered(0, 2 * EVENTS, k1, nextHop);
        assertTrue("k1 wrote only what was sent after k2 failed: " + byK1, byK1.stream().allMatch(n -> n >= EVENTS));
    }
}

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

        long first = untilK2Delivers(0, nextHop);
        awaitDelivered(0, first, k1, nextHop);
        int byK1Before = k1.lines().size();

        send(first, first + EVENTS, 50);
        nextHop.output().awaitAll(first, first + EVENTS);
        assertEquals("k1 (priority 5) writes nothing while k2 (priority 10) delivers", byK1Before, k1.lines().size());

        nextHop.stopSource();
        long after = first + EVENTS;
        send(after, after + EVENTS, 50);
        k1.awaitAll(after, after + EVENTS);
        awaitDelivered(0, after + EVENTS, k1, nextHop);
        Set<Long> byK1 = k1.numbers();
        assertTrue("k1 wrote nothing of what k2 delivered: " + byK1,
                byK1.stream().noneMatch(n -> n >= first && n < after));
    }
}

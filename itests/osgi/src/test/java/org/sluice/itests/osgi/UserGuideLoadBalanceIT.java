package org.sluice.itests.osgi;

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
 * The User Guide's Load balancing Sink Processor example: backoff = true, selector = random. The flow is spread
 * over both sinks; when k2's next agent goes down, "the sink processor will blacklist sinks that fail" and k1
 * delivers what is sent after, with nothing lost. Both sinks take batches of 10 (set by the file), so 300 events
 * are about 30 random choices: the chance that one sink gets none is 2^-29.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class UserGuideLoadBalanceIT extends UserGuideSinkGroupIT {

    private static final int EVENTS = 300;

    @Override
    protected String exampleFile() {
        return "sinkgroup-load-balance.properties";
    }

    @Test
    public void eventsAreSpreadOverBothSinksAndAFailedSinksShareGoesToTheOther() throws Exception {
        NextHop nextHop = startAgents();
        FileRollOutput k1 = k1();

        long first = untilK2Delivers(0, nextHop);
        awaitDelivered(0, first, k1, nextHop);
        Set<Long> byK1Before = k1.numbers();
        Set<Long> byK2Before = nextHop.output().numbers();

        send(first, first + EVENTS, 10);
        awaitDelivered(0, first + EVENTS, k1, nextHop);
        Set<Long> byK1 = new java.util.TreeSet<>(k1.numbers());
        byK1.removeAll(byK1Before);
        Set<Long> byK2 = new java.util.TreeSet<>(nextHop.output().numbers());
        byK2.removeAll(byK2Before);
        assertTrue("k1 wrote some of the events: " + byK1.size(), !byK1.isEmpty());
        assertTrue("k2 forwarded some of the events: " + byK2.size(), !byK2.isEmpty());

        nextHop.stopSource();
        long after = first + EVENTS;
        send(after, after + EVENTS, 10);
        k1.awaitAll(after, after + EVENTS);
        awaitDelivered(0, after + EVENTS, k1, nextHop);
    }
}

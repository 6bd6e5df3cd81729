package org.sluice.rpc.thrift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Date;
import java.util.Locale;

import javax.security.auth.Subject;
import javax.security.auth.kerberos.KerberosPrincipal;
import javax.security.auth.kerberos.KerberosTicket;

import org.junit.jupiter.api.Test;

/** When the sink's and the source's Kerberos login is renewed, and how Flume's principals are read. */
class KerberosLoginTest {
    private static final long HOUR = 3_600_000L;

    @Test
    void aLoginIsRenewedInTheLastFifthOfItsTicketsLifeAndNeverWithLessThanAMinuteLeft() {
        long start = 1_700_000_000_000L;
        Subject tenHours = subjectWithTgt(start, start + 10 * HOUR);
        assertFalse(KerberosLogin.needsRelogin(tenHours, start + HOUR));
        assertFalse(KerberosLogin.needsRelogin(tenHours, start + 7 * HOUR));
        assertTrue(KerberosLogin.needsRelogin(tenHours, start + 8 * HOUR + 1));
        assertTrue(KerberosLogin.needsRelogin(tenHours, start + 11 * HOUR), "expired");

        Subject twoMinutes = subjectWithTgt(start, start + 120_000);
        assertFalse(KerberosLogin.needsRelogin(twoMinutes, start + 59_000));
        assertTrue(KerberosLogin.needsRelogin(twoMinutes, start + 61_000), "under a minute left");

        assertTrue(KerberosLogin.needsRelogin(new Subject(), start), "no ticket-granting ticket at all");
    }

    @Test
    void principalsAreSplitIntoServiceAndHostAndUnderscoreHostIsThisMachine() throws Exception {
        assertArrayEquals(new String[] {"thrift", "collector-1.example.com"},
                KerberosLogin.serviceAndHost("thrift/collector-1.example.com@EXAMPLE.COM"));
        assertArrayEquals(new String[] {"flume", "h"}, KerberosLogin.serviceAndHost("flume/h"));
        assertNull(KerberosLogin.serviceAndHost("flume@EXAMPLE.COM"));
        assertNull(KerberosLogin.serviceAndHost("flume/@EXAMPLE.COM"));
        assertEquals("flume/" + InetAddress.getLocalHost().getCanonicalHostName().toLowerCase(Locale.ROOT)
                + "@EXAMPLE.COM", KerberosLogin.resolve("flume/_HOST@EXAMPLE.COM"));
        assertEquals("flume/h@EXAMPLE.COM", KerberosLogin.resolve("flume/h@EXAMPLE.COM"));
    }

    private static Subject subjectWithTgt(long start, long end) {
        KerberosPrincipal client = new KerberosPrincipal("flume/h@EXAMPLE.COM");
        KerberosPrincipal tgs = new KerberosPrincipal("krbtgt/EXAMPLE.COM@EXAMPLE.COM");
        KerberosTicket tgt = new KerberosTicket(new byte[] {1}, client, tgs, new byte[16], 17, new boolean[32],
                new Date(start), new Date(start), new Date(end), null, null);
        Subject subject = new Subject();
        subject.getPrivateCredentials().add(tgt);
        return subject;
    }
}

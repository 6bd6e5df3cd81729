package org.sluice.support.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** What a scan makes of a file: records, damage it reads past, and the torn last record a crash leaves. */
class RecordFramingTest {
    private static final RecordFraming FRAMING = new RecordFraming(0x5C1CE0F1, 1);

    /** Records {@code texts} back to back; {@code starts} gets where each begins. */
    private static ByteBuffer file(List<Integer> starts, String... texts) {
        ByteBuffer file = ByteBuffer.allocate(1024);
        for (String text : texts) {
            starts.add(file.position());
            int start = FRAMING.begin(file);
            file.put(text.getBytes(StandardCharsets.UTF_8));
            FRAMING.finish(file, start);
        }
        return file.flip();
    }

    private static List<String> scan(ByteBuffer file) {
        return scan(FRAMING, file, 0);
    }

    /** The texts of the records of {@code file} from {@code from}, and where it is damaged or torn. */
    static List<String> scan(RecordFraming framing, ByteBuffer file, int from) {
        List<String> found = new ArrayList<>();
        framing.scan(file, from, file.limit(), new RecordFraming.Visitor() {
            @Override
            public void record(int position, int length) {
                byte[] bytes = new byte[length];
                file.get(position + RecordFraming.HEADER, bytes);
                found.add(new String(bytes, StandardCharsets.UTF_8));
            }

            @Override
            public void damaged(int position, int skipped, boolean atEnd) {
                found.add((atEnd ? "torn at " : "damaged at ") + position + " (" + skipped + " bytes)");
            }
        });
        return found;
    }

    @Test
    void goodRecordsAreReadInOrder() {
        assertEquals(List.of("one", "two", "three"), scan(file(new ArrayList<>(), "one", "two", "three")));
    }

    @Test
    void aFlippedBitLosesOnlyItsRecord() {
        List<Integer> starts = new ArrayList<>();
        ByteBuffer file = file(starts, "one", "two", "three");
        file.put(starts.get(1) + RecordFraming.HEADER, (byte) 'T');
        assertEquals(List.of("one", "damaged at " + starts.get(1) + " (15 bytes)", "three"), scan(file));
    }

    @Test
    void aLastRecordCutShortIsACrashNotDamage() {
        List<Integer> starts = new ArrayList<>();
        ByteBuffer file = file(starts, "one", "two");
        file.limit(file.limit() - 1);
        assertEquals(List.of("one", "torn at " + starts.get(1) + " (14 bytes)"), scan(file));
        file.limit(starts.get(1) + 5);   // even its header cut short
        assertEquals(List.of("one", "torn at " + starts.get(1) + " (5 bytes)"), scan(file));
    }

    @Test
    void aLastRecordWhosePagesNeverReachedTheDiskIsACrashToo() {
        List<Integer> starts = new ArrayList<>();
        ByteBuffer file = file(starts, "one", "two");
        // The file's size grew but the payload's bytes are zeros: its checksum fails, and nothing follows.
        for (int i = starts.get(1) + RecordFraming.HEADER; i < file.limit(); i++) {
            file.put(i, (byte) 0);
        }
        assertEquals(List.of("one", "torn at " + starts.get(1) + " (15 bytes)"), scan(file));
    }

    @Test
    void damageFollowedByATornRecordIsStillDamage() {
        List<Integer> starts = new ArrayList<>();
        ByteBuffer file = file(starts, "one", "two", "three");
        file.put(starts.get(1) + RecordFraming.HEADER, (byte) 'T');
        file.limit(file.limit() - 2);
        assertEquals(List.of("one", "damaged at " + starts.get(1) + " (15 bytes)", "torn at " + starts.get(2)
                + " (15 bytes)"), scan(file));
    }

    @Test
    void garbageBeforeAGoodRecordIsSkippedToIt() {
        List<Integer> starts = new ArrayList<>();
        ByteBuffer records = file(starts, "one", "two");
        ByteBuffer file = ByteBuffer.allocate(7 + records.limit());
        file.put(new byte[] {1, 2, 3, 4, 5, 6, 7}).put(records).flip();
        assertEquals(List.of("damaged at 0 (7 bytes)", "one", "two"), scan(file));
    }

    @Test
    void aRecordWithTheRightMagicButTooShortAPayloadIsNotOne() {
        RecordFraming framing = new RecordFraming(0x5C1CE0F1, 9);
        ByteBuffer file = file(new ArrayList<>(), "short", "long enough");
        assertEquals(-1, framing.validLength(file, 0, file.limit()));
        assertEquals(17, framing.findNext(file, 0, file.limit()));
    }

    @Test
    void rechecksumCoversAPayloadChangedInPlace() {
        ByteBuffer file = file(new ArrayList<>(), "clear");
        byte[] bytes = Arrays.copyOf(file.array(), file.limit());
        bytes[RecordFraming.HEADER] = 'C';
        ByteBuffer changed = ByteBuffer.wrap(bytes);
        assertEquals(-1, FRAMING.validLength(changed, 0, bytes.length));
        RecordFraming.rechecksum(bytes, 0);
        assertEquals(5, FRAMING.validLength(changed, 0, bytes.length));
    }
}

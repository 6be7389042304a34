package dms.dump.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dms.common.messages.CopyRange;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class RangePlannerTest {

    @Test
    void splitsEvenly() {
        assertEquals(List.of(25L, 50L, 75L), RangePlanner.split(BigInteger.ZERO, BigInteger.valueOf(100), 4));
        assertEquals(List.of(-50L), RangePlanner.split(BigInteger.valueOf(-100), BigInteger.ZERO, 2));
    }

    @Test
    void neverEmptyRangesWhenTheSpanIsSmall() {
        assertEquals(List.of(11L, 12L), RangePlanner.split(BigInteger.TEN, BigInteger.valueOf(13), 8));
        assertEquals(List.of(), RangePlanner.split(BigInteger.TEN, BigInteger.valueOf(11), 8));
    }

    @Test
    void theWholeBigintDomainDoesNotOverflow() {
        BigInteger min = BigInteger.valueOf(Long.MIN_VALUE);
        BigInteger maxPlusOne = BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE);
        assertEquals(List.of(0L), RangePlanner.split(min, maxPlusOne, 2));
    }

    @Test
    void conditions() {
        assertNull(RangeCondition.sql(CopyRange.WHOLE));
        assertEquals("\"Id \"\"x\"\"\" < 10", RangeCondition.sql(new CopyRange(CopyRange.Kind.PRIMARY_KEY, "Id \"x\"", null, 10L)));
        assertEquals("\"id\" >= -5 AND \"id\" < 10", RangeCondition.sql(new CopyRange(CopyRange.Kind.PRIMARY_KEY, "id", -5L, 10L)));
        assertEquals("\"id\" >= 10", RangeCondition.sql(new CopyRange(CopyRange.Kind.PRIMARY_KEY, "id", 10L, null)));
        assertEquals("ctid < '(128,0)'::tid", RangeCondition.sql(new CopyRange(CopyRange.Kind.CTID, null, 0L, 128L)));
        assertEquals("ctid >= '(128,0)'::tid", RangeCondition.sql(new CopyRange(CopyRange.Kind.CTID, null, 128L, null)));
    }
}

package io.marketbridge.ebay.listings;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PriceExtrasTest {

    // value ids: colours 1 (red), 2 (blue); sizes 11 (S), 12 (M), 13 (L)

    private static List<BigDecimal> prices(String... surcharges) {
        return java.util.Arrays.stream(surcharges).map(BigDecimal::new).toList();
    }

    /** The extras of each combination, summed: what Odoo would price it above the template. */
    private static BigDecimal priced(Map<Long, BigDecimal> extras, List<Long> combination) {
        return combination.stream().map(extras::get).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Test
    void aColourAndASizeSurchargeAreBothFound() {
        // blue costs 5 more, M 2 more, L 3.50 more; blue L is not sold
        List<List<Long>> combinations = List.of(List.of(1L, 11L), List.of(1L, 12L), List.of(1L, 13L), List.of(2L, 11L), List.of(2L, 12L));
        List<BigDecimal> surcharges = prices("0", "2", "3.50", "5", "7");
        Map<Long, BigDecimal> extras = PriceExtras.solve(combinations, surcharges).orElseThrow();
        for (int i = 0; i < combinations.size(); i++) {
            assertEquals(0, priced(extras, combinations.get(i)).compareTo(surcharges.get(i)), "combination " + combinations.get(i));
        }
    }

    @Test
    void pricesThatAreNoSumOfSurchargesHaveNoSolution() {
        // red M costs 2 more than red S, but blue M 4 more than blue S
        List<List<Long>> combinations = List.of(List.of(1L, 11L), List.of(1L, 12L), List.of(2L, 11L), List.of(2L, 12L));
        assertTrue(PriceExtras.solve(combinations, prices("0", "2", "5", "9")).isEmpty());
    }

    @Test
    void thirdsOfACentAreNotRoundedIntoAWrongPrice() {
        // three values always sold together, summing to 1.00: any split in cents works, 0.33 each does not
        List<List<Long>> combinations = List.of(List.of(1L, 11L, 21L), List.of(2L, 12L, 22L));
        Map<Long, BigDecimal> extras = PriceExtras.solve(combinations, prices("1.00", "0")).orElseThrow();
        assertEquals(0, priced(extras, combinations.get(0)).compareTo(new BigDecimal("1.00")));
    }
}

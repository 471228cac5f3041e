package io.marketbridge.ebay.listings;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Odoo prices a variant as its template's price plus a surcharge ({@code price_extra}) per attribute
 * value. Given variations (their values) and how much each costs above the template price, finds
 * such surcharges, in cents, by Gauss-Jordan elimination; values left free get none.
 */
final class PriceExtras {

    private static final MathContext EXACT_ENOUGH = MathContext.DECIMAL128;
    private static final BigDecimal TOLERANCE = new BigDecimal("0.000001");

    private PriceExtras() {
    }

    /** Surcharges per value that give every variation its price exactly; empty when none can. */
    static <V> Optional<Map<V, BigDecimal>> solve(List<List<V>> combinations, List<BigDecimal> surcharges) {
        Map<V, Integer> column = new LinkedHashMap<>();
        combinations.forEach(values -> values.forEach(v -> column.putIfAbsent(v, column.size())));
        int n = column.size();
        List<BigDecimal[]> rows = new ArrayList<>();
        for (int i = 0; i < combinations.size(); i++) {
            BigDecimal[] row = new BigDecimal[n + 1];
            java.util.Arrays.fill(row, BigDecimal.ZERO);
            for (V value : combinations.get(i)) {
                row[column.get(value)] = row[column.get(value)].add(BigDecimal.ONE);
            }
            row[n] = surcharges.get(i);
            rows.add(row);
        }
        Map<Integer, Integer> pivotRowOfColumn = new HashMap<>();
        int pivotRow = 0;
        for (int col = 0; col < n && pivotRow < rows.size(); col++) {
            int found = -1;
            for (int r = pivotRow; r < rows.size(); r++) {
                if (rows.get(r)[col].abs().compareTo(TOLERANCE) > 0) {
                    found = r;
                    break;
                }
            }
            if (found < 0) {
                continue; // a free value: no surcharge
            }
            java.util.Collections.swap(rows, pivotRow, found);
            BigDecimal[] pivot = rows.get(pivotRow);
            BigDecimal lead = pivot[col];
            for (int c = col; c <= n; c++) {
                pivot[c] = pivot[c].divide(lead, EXACT_ENOUGH);
            }
            for (int r = 0; r < rows.size(); r++) {
                BigDecimal[] row = rows.get(r);
                if (r != pivotRow && row[col].signum() != 0) {
                    BigDecimal factor = row[col];
                    for (int c = col; c <= n; c++) {
                        row[c] = row[c].subtract(factor.multiply(pivot[c], EXACT_ENOUGH), EXACT_ENOUGH);
                    }
                }
            }
            pivotRowOfColumn.put(col, pivotRow++);
        }
        Map<V, BigDecimal> extras = new LinkedHashMap<>();
        column.forEach((value, col) -> {
            Integer row = pivotRowOfColumn.get(col);
            extras.put(value, row == null ? BigDecimal.ZERO : rows.get(row)[n].setScale(2, RoundingMode.HALF_UP));
        });
        // the cents must add up exactly for every variation, else no sum of surcharges can say these prices
        for (int i = 0; i < combinations.size(); i++) {
            BigDecimal sum = combinations.get(i).stream().map(extras::get).reduce(BigDecimal.ZERO, BigDecimal::add);
            if (sum.compareTo(surcharges.get(i)) != 0) {
                return Optional.empty();
            }
        }
        return Optional.of(extras);
    }
}

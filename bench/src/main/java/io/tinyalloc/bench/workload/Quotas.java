package io.tinyalloc.bench.workload;

/** Splits a round's operations between the threads of a workload, exactly. */
final class Quotas {

    private Quotas() {
    }

    /**
     * Splits {@code total} units between {@code parts}, the first ones getting one more when
     * it does not divide.
     *
     * @return the units of each part; their sum is {@code total}
     */
    static int[] split(int total, int parts) {
        int[] quotas = new int[parts];
        for (int part = 0; part < parts; part++) {
            quotas[part] = total / parts + (part < total % parts ? 1 : 0);
        }
        return quotas;
    }
}

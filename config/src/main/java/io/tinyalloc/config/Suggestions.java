package io.tinyalloc.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Finds the known key a misspelt one was probably meant to be, by edit distance. */
final class Suggestions {

    /** Keys up to this long may be one edit away from their suggestion. */
    private static final int SHORT_KEY_LENGTH = 4;
    /** Keys up to this long may be two edits away; longer ones three. */
    private static final int MEDIUM_KEY_LENGTH = 8;

    private Suggestions() {
    }

    /**
     * Returns the candidate closest to {@code key}, if it is close enough to be a typo.
     * Letter case is ignored and a swap of two neighbouring letters counts as one edit.
     *
     * @param key the unknown key
     * @param candidates the known keys
     * @return the closest candidate, or empty if none is within the typo distance
     */
    static Optional<String> closest(String key, Collection<String> candidates) {
        String lowerKey = key.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = maxTypoDistance(key.length()) + 1;
        for (String candidate : candidates) {
            int distance = editDistance(lowerKey, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    private static int maxTypoDistance(int keyLength) {
        if (keyLength <= SHORT_KEY_LENGTH) {
            return 1;
        }
        return keyLength <= MEDIUM_KEY_LENGTH ? 2 : 3;
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int substitution = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + substitution);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}

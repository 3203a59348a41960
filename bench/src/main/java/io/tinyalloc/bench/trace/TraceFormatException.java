package io.tinyalloc.bench.trace;

import java.io.Serial;

/**
 * Thrown when a line of a trace looks like an allocator call but cannot be read as one.
 * The message names the file, the line number, the line and what was expected.
 */
public final class TraceFormatException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String source;
    private final long lineNumber;

    TraceFormatException(String source, long lineNumber, String line, String problem) {
        super(source + ":" + lineNumber + ": " + problem + " in line: " + line);
        this.source = source;
        this.lineNumber = lineNumber;
    }

    /** @return the file (or other source) the bad line came from */
    public String source() {
        return source;
    }

    /** @return the number of the bad line, counting from 1 */
    public long lineNumber() {
        return lineNumber;
    }
}

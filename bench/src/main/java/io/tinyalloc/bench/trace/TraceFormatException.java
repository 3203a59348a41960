package io.tinyalloc.bench.trace;

import java.io.Serial;

/**
 * Thrown when a trace cannot be read: a line of a valgrind log that looks like an allocator
 * call but cannot be read as one (the message names the file, the line number, the line and
 * what was expected), or a tinyalloc trace file that is foreign, of an unknown version,
 * truncated or inconsistent (the message names the file, the byte offset and what was
 * expected).
 */
public final class TraceFormatException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The line number of a problem in a binary trace, which has no lines. */
    public static final long NO_LINE = -1;

    private final String source;
    private final long lineNumber;

    TraceFormatException(String source, long lineNumber, String line, String problem) {
        super(source + ":" + lineNumber + ": " + problem + " in line: " + line);
        this.source = source;
        this.lineNumber = lineNumber;
    }

    TraceFormatException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
        this.lineNumber = NO_LINE;
    }

    /** @return the file (or other source) the bad line came from */
    public String source() {
        return source;
    }

    /** @return the number of the bad line, counting from 1, or {@link #NO_LINE} for a binary trace */
    public long lineNumber() {
        return lineNumber;
    }
}

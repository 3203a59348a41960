package io.tinyalloc.platform.linux;

import java.util.Map;

/**
 * The symbolic names of the {@code errno} values that the memory system calls return, for
 * error messages.
 *
 * <p>The numbers are those of the Linux generic ABI ({@code include/uapi/asm-generic/errno-base.h}
 * and {@code errno.h}), which x86_64 and aarch64 both use. The table is ours rather than
 * {@code strerror}'s: {@code strerror} may write into a shared buffer, and the short name is
 * what people search for.
 */
final class Errno {

    /** Operation not permitted. */
    static final int EPERM = 1;
    /** Interrupted system call. */
    static final int EINTR = 4;
    /** Bad file descriptor. */
    static final int EBADF = 9;
    /** Resource temporarily unavailable (for example a lock limit reached). */
    static final int EAGAIN = 11;
    /** Out of memory, or a range that is not mapped. */
    static final int ENOMEM = 12;
    /** Permission denied. */
    static final int EACCES = 13;
    /** Bad address. */
    static final int EFAULT = 14;
    /** Device or resource busy. */
    static final int EBUSY = 16;
    /** Already exists. */
    static final int EEXIST = 17;
    /** No such device (for example a mapping type the file system does not support). */
    static final int ENODEV = 19;
    /** Invalid argument: a misaligned address, or an advice the kernel does not know. */
    static final int EINVAL = 22;
    /** Function not implemented. */
    static final int ENOSYS = 38;
    /** Value too large for the type. */
    static final int EOVERFLOW = 75;
    /** Memory page has a hardware error. */
    static final int EHWPOISON = 133;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(EPERM, "EPERM"),
            Map.entry(EINTR, "EINTR"),
            Map.entry(EBADF, "EBADF"),
            Map.entry(EAGAIN, "EAGAIN"),
            Map.entry(ENOMEM, "ENOMEM"),
            Map.entry(EACCES, "EACCES"),
            Map.entry(EFAULT, "EFAULT"),
            Map.entry(EBUSY, "EBUSY"),
            Map.entry(EEXIST, "EEXIST"),
            Map.entry(ENODEV, "ENODEV"),
            Map.entry(EINVAL, "EINVAL"),
            Map.entry(ENOSYS, "ENOSYS"),
            Map.entry(EOVERFLOW, "EOVERFLOW"),
            Map.entry(EHWPOISON, "EHWPOISON"));

    private Errno() {
    }

    /**
     * Describes an error number for a message.
     *
     * @param errno the error number
     * @return for example {@code "errno 12 (ENOMEM)"}, or {@code "errno 200 (unknown)"}
     */
    static String describe(int errno) {
        return "errno " + errno + " (" + NAMES.getOrDefault(errno, "unknown") + ")";
    }
}

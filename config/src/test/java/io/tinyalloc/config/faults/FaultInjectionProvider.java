package io.tinyalloc.config.faults;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import io.tinyalloc.spi.PlatformMemory;
import io.tinyalloc.spi.PlatformMemoryProvider;
import java.util.EnumSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A test platform, named {@code fault-injection}: it passes every call to a real platform and,
 * while a test has switched faults on with {@link Faults}, makes the calls its schedule names
 * fail with a {@link io.tinyalloc.spi.PlatformMemoryException} carrying an {@code errno}, as an
 * operating system short of memory would.
 *
 * <p>Selected with {@code platform.provider = fault-injection}; it is
 * {@linkplain #isSupported() supported} only while a {@link Faults} switch is open, so that
 * {@code auto} never takes it. Settings ({@code platform.fault-injection}):
 * <ul>
 *   <li>{@code delegate}: the platform that does the real work, by name, or {@code auto} for
 *       the one other supported platform. Default: {@code auto}.
 *   <li>{@code fail}: the operations that fail while faults are on, a list of
 *       {@code reserve}, {@code commit}, {@code decommit}, {@code reset}, {@code release},
 *       {@code protect} ({@code decommit} and {@code reset} are the two kinds of purge; the
 *       engine also decommits a small segment when it releases it). Default: {@code []}.
 *   <li>{@code every}: one call in this many of each failing operation fails, counted per
 *       operation over the calls made while faults are on; an integer, 1 or more (1: every
 *       call). Default: 1.
 *   <li>{@code errno}: the error number the failures carry: {@code ENOMEM}, {@code EAGAIN},
 *       {@code EINVAL}, {@code EPERM}, {@code EACCES} or {@code EFAULT}. Default:
 *       {@code ENOMEM}.
 * </ul>
 *
 * {@snippet lang = hocon :
 * platform {
 *   provider = fault-injection
 *   fault-injection { fail = [commit, decommit], every = 3, errno = ENOMEM }
 * }
 * }
 */
public final class FaultInjectionProvider implements PlatformMemoryProvider {

    private static final String NAME = "fault-injection";
    private static final String AUTO = "auto";
    private static final String DELEGATE_PATH = "delegate";
    private static final String FAIL_PATH = "fail";
    private static final String EVERY_PATH = "every";
    private static final String ERRNO_PATH = "errno";
    private static final Config DEFAULTS = ConfigFactory.parseString(String.join("\n",
            "# The platform that does the real work: a provider name, or auto.",
            DELEGATE_PATH + " = " + AUTO,
            "# The operations that fail while faults are on.",
            FAIL_PATH + " = []",
            "# One call in this many of each failing operation fails.",
            EVERY_PATH + " = 1",
            "# The error number of the failures.",
            ERRNO_PATH + " = ENOMEM"));

    /** Creates the provider; called by {@link ServiceLoader}. */
    public FaultInjectionProvider() {
    }

    /** @return {@code "fault-injection"} */
    @Override
    public String name() {
        return NAME;
    }

    /** @return whether a test holds a {@link Faults} switch open */
    @Override
    public boolean isSupported() {
        return Faults.current() != null;
    }

    /** @return {@code delegate = auto, fail = [], every = 1, errno = ENOMEM} */
    @Override
    public Config defaults() {
        return DEFAULTS;
    }

    /**
     * {@inheritDoc}
     *
     * @throws ConfigException.BadValue if a setting is not one of its allowed values, or the
     *         delegate is missing or not supported here
     * @throws IllegalStateException if no {@link Faults} switch is open
     */
    @Override
    public PlatformMemory create(Config settings) {
        Faults faults = Faults.current();
        if (faults == null) {
            throw new IllegalStateException("the " + NAME + " platform is for tests: open a Faults switch first");
        }
        FaultSchedule schedule = new FaultSchedule(failingOperations(settings), every(settings), errno(settings));
        FaultInjectingMemory memory = new FaultInjectingMemory(delegate(settings), schedule, faults);
        faults.register(memory);
        return memory;
    }

    private static Set<PlatformOperation> failingOperations(Config settings) {
        Set<PlatformOperation> failing = EnumSet.noneOf(PlatformOperation.class);
        for (String name : settings.getStringList(FAIL_PATH)) {
            PlatformOperation operation = PlatformOperation.ofConfigName(name);
            if (operation == null) {
                throw badValue(settings, FAIL_PATH, "a list of " + PlatformOperation.configNames() + "; not " + name);
            }
            failing.add(operation);
        }
        return failing;
    }

    private static long every(Config settings) {
        long every = settings.getLong(EVERY_PATH);
        if (every < 1) {
            throw badValue(settings, EVERY_PATH, "an integer, 1 or more");
        }
        return every;
    }

    private static int errno(Config settings) {
        Integer errno = FaultSchedule.ERRNO_BY_NAME.get(settings.getString(ERRNO_PATH));
        if (errno == null) {
            throw badValue(settings, ERRNO_PATH, "one of " + new TreeSet<>(FaultSchedule.ERRNO_BY_NAME.keySet()));
        }
        return errno;
    }

    /** Finds the delegate among the other platform providers, by name or as the one supported. */
    private static PlatformMemory delegate(Config settings) {
        String wanted = settings.getString(DELEGATE_PATH);
        List<PlatformMemoryProvider> candidates = ServiceLoader.load(PlatformMemoryProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(provider -> !provider.name().equals(NAME))
                .filter(PlatformMemoryProvider::isSupported)
                .filter(provider -> wanted.equals(AUTO) || provider.name().equals(wanted))
                .toList();
        if (candidates.size() != 1) {
            throw badValue(settings, DELEGATE_PATH, (wanted.equals(AUTO) ? "auto with exactly one" : "the name of a")
                    + " supported platform provider other than " + NAME + "; found " + candidates.size() + ": "
                    + candidates.stream().map(PlatformMemoryProvider::name).collect(Collectors.joining(", ")));
        }
        PlatformMemoryProvider provider = candidates.getFirst();
        return provider.create(provider.defaults());
    }

    private static ConfigException.BadValue badValue(Config settings, String path, String expected) {
        ConfigValue value = settings.getValue(path);
        return new ConfigException.BadValue(value.origin(), path, value.render() + " (expected: " + expected + ")");
    }

    @Override
    public String toString() {
        return "FaultInjectionProvider[" + NAME + "]";
    }
}

package io.tinyalloc.bench.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress of a run, one step per fork, as a progress bar on the terminal's standard error;
 * nothing when standard output is not a terminal (a pipe, a file, CI).
 */
interface Progress extends AutoCloseable {

    /** Shows nothing. */
    Progress QUIET = new Progress() {
        @Override
        public void starting(String what) {
        }

        @Override
        public void done() {
        }

        @Override
        public void close() {
        }
    };

    /**
     * @param task what the bar is of, such as {@code compare}
     * @param steps how many steps there are
     * @return a progress bar if the tool runs on a terminal, else {@link #QUIET}
     */
    static Progress onTerminal(String task, int steps) {
        boolean terminal = System.console() != null && System.console().isTerminal();
        return terminal ? new Bar(task, steps, System.err) : QUIET;
    }

    /** @param what the step that starts, such as {@code batch-64 on A.conf, fork 2/5} */
    void starting(String what);

    /** Counts the step that started last as done. */
    void done();

    @Override
    void close();

    /** A progress bar from the progressbar library. */
    final class Bar implements Progress {

        private final ProgressBar bar;

        Bar(String task, int steps, PrintStream terminal) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(steps).setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(terminal)).build();
        }

        @Override
        public void starting(String what) {
            bar.setExtraMessage(what);
        }

        @Override
        public void done() {
            bar.step();
        }

        @Override
        public void close() {
            bar.close();
        }
    }
}

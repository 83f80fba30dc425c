package dev.runway.validator.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;

import org.eclipse.jgit.lib.ProgressMonitor;

/**
 * Bounds of one clone: how long it may take and how large the fetched repository may grow. JGit has no size
 * limit for fetching, so the clone's directory is measured as objects arrive (at most every 100 ms) and the
 * clone is cancelled once it is larger than {@code maxBytes}.
 */
public record CloneLimits(Duration timeout, long maxBytes) {

    private static final long CHECK_EVERY_NANOS = Duration.ofMillis(100).toNanos();

    /** A progress monitor that cancels the clone into {@code dir} once it holds more than {@link #maxBytes()}. */
    SizeWatch watch(Path dir) {
        return new SizeWatch(dir, maxBytes);
    }

    static final class SizeWatch implements ProgressMonitor {

        private final Path dir;
        private final long maxBytes;
        private long lastCheck = System.nanoTime() - CHECK_EVERY_NANOS;
        private volatile boolean exceeded;

        private SizeWatch(Path dir, long maxBytes) {
            this.dir = dir;
            this.maxBytes = maxBytes;
        }

        boolean exceeded() {
            check(true);
            return exceeded;
        }

        @Override
        public void start(int totalTasks) {
            check(false);
        }

        @Override
        public void beginTask(String title, int totalWork) {
            check(false);
        }

        @Override
        public void update(int completed) {
            check(false);
        }

        @Override
        public void endTask() {
            check(false);
        }

        @Override
        public boolean isCancelled() {
            check(false);
            return exceeded;
        }

        @Override
        public void showDuration(boolean enabled) {
            // durations are not shown anywhere
        }

        private void check(boolean now) {
            long t = System.nanoTime();
            if (exceeded || !now && t - lastCheck < CHECK_EVERY_NANOS) {
                return;
            }
            lastCheck = t;
            if (size(dir) > maxBytes) {
                exceeded = true;
            }
        }

        /** Bytes of the regular files under {@code dir}: one walk, each file's size from the attributes read while walking. */
        static long size(Path dir) {
            long[] total = { 0 };
            try {
                Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (attrs.isRegularFile()) {
                            total[0] += attrs.size();
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        return FileVisitResult.CONTINUE; // a temporary file JGit just renamed
                    }
                });
            } catch (IOException | UncheckedIOException e) {
                return total[0];
            }
            return total[0];
        }
    }
}

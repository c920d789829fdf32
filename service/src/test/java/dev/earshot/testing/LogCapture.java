package dev.earshot.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Every log line of the process while open, as formatted text: System.Logger goes to
 * java.util.logging here, so a handler on the root logger sees Earshot's lines (all levels, DEBUG
 * included) and everyone else's from INFO.
 */
public final class LogCapture implements AutoCloseable {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger root = Logger.getLogger("");
    private final Logger earshot = Logger.getLogger("dev.earshot");
    private final Level earshotLevel = earshot.getLevel();
    private final Handler handler = new Handler() {
        private final SimpleFormatter format = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            String text = format.format(record);
            lines.add(text);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    public LogCapture() {
        handler.setLevel(Level.ALL);
        earshot.setLevel(Level.ALL);
        root.addHandler(handler);
    }

    /** The lines logged so far. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        root.removeHandler(handler);
        earshot.setLevel(earshotLevel);
    }
}

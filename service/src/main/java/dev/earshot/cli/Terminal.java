package dev.earshot.cli;

import java.io.Console;
import java.lang.reflect.Method;

/**
 * Whether standard output is a terminal, so {@code transcribe} knows if it may rewrite a line in
 * place. JDK 22 made {@link System#console()} return a console even when output is redirected and
 * added {@code Console.isTerminal()} to tell; on JDK 21 a console exists only for a terminal. Read
 * reflectively, so one build runs on both.
 */
final class Terminal {
    private Terminal() {}

    static boolean isInteractive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console means a terminal
        }
    }
}

package dev.earshot.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One browser tab, driven the way a person would: navigate, click with the mouse, press keys,
 * choose a file; and read back what the page shows through JavaScript. Every wait is bounded and
 * fails with what the page showed and printed, so a broken page never hangs a build.
 */
public final class BrowserPage implements AutoCloseable {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final DevTools cdp;
    private final String targetId;
    private final String session;
    private final List<String> console = Collections.synchronizedList(new ArrayList<>());
    private final List<String> exceptions = Collections.synchronizedList(new ArrayList<>());

    private BrowserPage(DevTools cdp, String targetId, String session) {
        this.cdp = cdp;
        this.targetId = targetId;
        this.session = session;
    }

    /** Opens a new blank tab and attaches to it. */
    static BrowserPage open(DevTools cdp) {
        String targetId = cdp.call(
                        null, "Target.createTarget", DevTools.params().put("url", "about:blank"), COMMAND_TIMEOUT)
                .path("targetId")
                .asText();
        String session = cdp.call(
                        null,
                        "Target.attachToTarget",
                        DevTools.params().put("targetId", targetId).put("flatten", true),
                        COMMAND_TIMEOUT)
                .path("sessionId")
                .asText();
        BrowserPage page = new BrowserPage(cdp, targetId, session);
        cdp.onEvent(page::event);
        page.call("Runtime.enable", null);
        page.call("Page.enable", null);
        return page;
    }

    private void event(JsonNode message) {
        if (!session.equals(message.path("sessionId").asText())) {
            return;
        }
        JsonNode params = message.path("params");
        switch (message.path("method").asText()) {
            case "Runtime.consoleAPICalled" -> {
                StringBuilder line = new StringBuilder(params.path("type").asText()).append(':');
                params.path("args")
                        .forEach(a -> line.append(' ')
                                .append(
                                        a.has("value")
                                                ? a.get("value").asText()
                                                : a.path("description").asText()));
                console.add(line.toString());
            }
            case "Runtime.exceptionThrown" -> {
                JsonNode details = params.path("exceptionDetails");
                exceptions.add(details.path("exception")
                        .path("description")
                        .asText(details.path("text").asText()));
            }
            default -> {}
        }
    }

    JsonNode call(String method, ObjectNode params) {
        return cdp.call(session, method, params, COMMAND_TIMEOUT);
    }

    /** Loads a URL and waits until the document and its scripts have loaded. */
    public void navigate(String url) {
        JsonNode result = call("Page.navigate", DevTools.params().put("url", url));
        if (result.has("errorText")) {
            throw new AssertionError(
                    "could not load " + url + ": " + result.get("errorText").asText());
        }
        waitFor("document.readyState === 'complete'", Duration.ofSeconds(20), "the page loads");
    }

    /**
     * Evaluates a JavaScript expression (promises are awaited) and returns its value as JSON.
     *
     * @throws AssertionError when the expression throws
     */
    public JsonNode eval(String expression) {
        JsonNode result = call(
                "Runtime.evaluate",
                DevTools.params()
                        .put("expression", expression)
                        .put("awaitPromise", true)
                        .put("returnByValue", true));
        if (result.has("exceptionDetails")) {
            JsonNode details = result.get("exceptionDetails");
            throw new AssertionError("page script failed: " + expression + "\n"
                    + details.path("exception")
                            .path("description")
                            .asText(details.path("text").asText()));
        }
        return result.path("result").path("value");
    }

    /** Text content of the first element matching a CSS selector ("" when there is none). */
    public String text(String selector) {
        return eval("(document.querySelector(" + quote(selector) + ") || {}).textContent || ''")
                .asText();
    }

    /**
     * Polls a JavaScript condition every 100 ms until it is true.
     *
     * @param what the expectation in words, for the failure message
     */
    public void waitFor(String condition, Duration timeout, String what) {
        try {
            await(what)
                    .atMost(timeout)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> eval("!!(" + condition + ")").asBoolean());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("expected within " + timeout + ": " + what + "\n" + describe(), e);
        }
    }

    /** A real left click (trusted input, so it counts as a user gesture) in the middle of an element. */
    public void click(String selector) {
        JsonNode box = eval("(() => { const e = document.querySelector(" + quote(selector) + ");"
                + " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                + " return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()");
        for (String type : List.of("mouseMoved", "mousePressed", "mouseReleased")) {
            ObjectNode p = DevTools.params()
                    .put("type", type)
                    .put("x", box.path("x").asDouble())
                    .put("y", box.path("y").asDouble());
            if (!type.equals("mouseMoved")) {
                p.put("button", "left").put("clickCount", 1);
            }
            call("Input.dispatchMouseEvent", p);
        }
    }

    /** Presses and releases a key, as a keyboard would: "Tab", "Enter" or " " (space). */
    public void press(String key) {
        String code;
        int keyCode;
        String text;
        switch (key) {
            case "Tab" -> {
                code = "Tab";
                keyCode = 9;
                text = null;
            }
            case "Enter" -> {
                code = "Enter";
                keyCode = 13;
                text = "\r";
            }
            case " " -> {
                code = "Space";
                keyCode = 32;
                text = " ";
            }
            default -> throw new IllegalArgumentException("no key code known for " + key);
        }
        ObjectNode down = DevTools.params()
                .put("type", text == null ? "rawKeyDown" : "keyDown")
                .put("key", key)
                .put("code", code)
                .put("windowsVirtualKeyCode", keyCode)
                .put("nativeVirtualKeyCode", keyCode);
        if (text != null) {
            down.put("text", text).put("unmodifiedText", text);
        }
        call("Input.dispatchKeyEvent", down);
        call(
                "Input.dispatchKeyEvent",
                DevTools.params()
                        .put("type", "keyUp")
                        .put("key", key)
                        .put("code", code)
                        .put("windowsVirtualKeyCode", keyCode)
                        .put("nativeVirtualKeyCode", keyCode));
    }

    /** Chooses a file in an {@code <input type=file>}, which fires its change event. */
    public void chooseFile(String selector, Path file) {
        JsonNode found = call(
                "Runtime.evaluate",
                DevTools.params().put("expression", "document.querySelector(" + quote(selector) + ")"));
        String objectId = found.path("result").path("objectId").asText(null);
        if (objectId == null) {
            throw new AssertionError("no element " + selector);
        }
        ObjectNode p = DevTools.params().put("objectId", objectId);
        p.putArray("files").add(file.toAbsolutePath().toString());
        call("DOM.setFileInputFiles", p);
    }

    /** Saves a PNG of the visible page. */
    public void screenshot(Path png) throws IOException {
        JsonNode shot = call("Page.captureScreenshot", DevTools.params().put("format", "png"));
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.write(png, Base64.getDecoder().decode(shot.path("data").asText()));
    }

    /** Uncaught exceptions the page has thrown so far. */
    public List<String> exceptions() {
        return List.copyOf(exceptions);
    }

    /** What the page shows and printed, for failure messages. */
    public String describe() {
        String shown;
        try {
            shown = eval("document.body ? document.body.innerText : '(no body)'")
                    .asText();
        } catch (AssertionError e) {
            shown = "(page not readable: " + e.getMessage() + ")";
        }
        return "page text:\n" + shown + "\nconsole: " + List.copyOf(console) + "\nexceptions: " + exceptions();
    }

    /** A JavaScript string literal. */
    public static String quote(String s) {
        return DevTools.JSON.getNodeFactory().textNode(s).toString();
    }

    @Override
    public void close() {
        try {
            cdp.call(null, "Target.closeTarget", DevTools.params().put("targetId", targetId), COMMAND_TIMEOUT);
        } catch (AssertionError e) {
            // the browser is going away anyway
        }
    }
}

package dev.earshot.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The demo page: a fixed list of files from the classpath folder {@code web/}, read once at start
 * and served from memory at {@code /} (index.html) and {@code /<name>}, for GET and HEAD.
 *
 * <p>Why a list and not a folder: nothing but these files can ever be served (no path traversal,
 * no other classpath resource such as {@code application.yaml}); every other path falls through
 * to the other routes or 404. Why a hand-written service: Helidon's static-content module is one
 * more dependency for five files, and these headers matter: the right {@code Content-Type} (a
 * module script or an AudioWorklet with the wrong one is refused by browsers), {@code nosniff},
 * and caching that cannot mix an old script with a new page ({@code no-cache} on the page, a short
 * {@code max-age} on the rest, a strong {@code ETag} on all for cheap revalidation).
 */
public final class StaticFiles implements HttpService {
    /** The files of the demo page, under {@code web/} on the classpath. */
    public static final List<String> DEMO_PAGE = List.of(
            "index.html",
            "app.js",
            "protocol.js",
            "sent-audio.js",
            "credentials.js",
            "audio.js",
            "pcm-worklet.js",
            "resampler.js",
            "style.css",
            "favicon.svg");

    /** Seconds a browser may use a script, style sheet or icon without asking again. */
    static final int ASSET_MAX_AGE = 300;

    /**
     * What the page may do: load its own scripts, styles and worklet, open a WebSocket to this
     * host (ws:/wss: are listed because 'self' does not cover them in older Safari), and nothing
     * else: no inline script, no framing.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self' ws: wss:; worker-src 'self'; object-src 'none'; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final System.Logger LOG = System.getLogger(StaticFiles.class.getName());
    private static final HeaderName NOSNIFF = HeaderNames.create("X-Content-Type-Options");
    private static final HeaderName CSP = HeaderNames.create("Content-Security-Policy");
    private static final HeaderName REFERRER_POLICY = HeaderNames.create("Referrer-Policy");
    private static final HeaderName PERMISSIONS_POLICY = HeaderNames.create("Permissions-Policy");
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml; charset=utf-8");

    private record Asset(byte[] body, String contentType, String cacheControl, String etag, boolean page) {}

    private final Map<String, Asset> assets;

    private StaticFiles(Map<String, Asset> assets) {
        this.assets = assets;
    }

    /** The demo page, from {@code web/} on the classpath. */
    public static StaticFiles demoPage() {
        return fromClasspath("web", DEMO_PAGE);
    }

    /**
     * Reads the named files from a classpath folder; the first one is also served at {@code /}.
     *
     * @throws IllegalStateException when a file is missing or has no known content type, so a
     *                               broken build fails at start rather than on a user's request
     */
    public static StaticFiles fromClasspath(String folder, List<String> names) {
        Map<String, Asset> assets = new LinkedHashMap<>();
        for (String name : names) {
            String type = CONTENT_TYPES.get(name.substring(name.lastIndexOf('.') + 1));
            if (type == null) {
                throw new IllegalStateException("no content type known for " + name);
            }
            boolean page = name.endsWith(".html");
            byte[] body = read(folder + "/" + name);
            Asset asset =
                    new Asset(body, type, page ? "no-cache" : "public, max-age=" + ASSET_MAX_AGE, etag(body), page);
            assets.put("/" + name, asset);
            if (assets.size() == 1) {
                assets.put("/", asset);
            }
        }
        LOG.log(Level.DEBUG, "serving " + names + " from classpath " + folder + "/");
        return new StaticFiles(Map.copyOf(assets));
    }

    @Override
    public void routing(HttpRules rules) {
        for (String path : assets.keySet()) {
            rules.route(HttpRoute.builder()
                    .methods(Method.GET, Method.HEAD)
                    .path(path)
                    .handler((req, res) -> serve(assets.get(path), req, res))
                    .build());
        }
    }

    private static void serve(Asset asset, ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, asset.contentType());
        res.header(HeaderNames.CACHE_CONTROL, asset.cacheControl());
        res.header(HeaderNames.ETAG, asset.etag());
        res.header(NOSNIFF, "nosniff");
        if (asset.page()) {
            res.header(CSP, CONTENT_SECURITY_POLICY);
            res.header(REFERRER_POLICY, "no-referrer");
            res.header(PERMISSIONS_POLICY, "microphone=(self)");
        }
        if (matches(req.headers().first(HeaderNames.IF_NONE_MATCH), asset.etag())) {
            res.status(Status.NOT_MODIFIED_304).send();
        } else if (req.prologue().method() == Method.HEAD) {
            res.contentLength(asset.body().length);
            res.send();
        } else {
            res.send(asset.body());
        }
    }

    /** Whether an {@code If-None-Match} list names this tag (weak comparison, as RFC 9110 says). */
    static boolean matches(Optional<String> ifNoneMatch, String etag) {
        if (ifNoneMatch.isEmpty()) {
            return false;
        }
        for (String candidate : ifNoneMatch.get().split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || (tag.startsWith("W/") ? tag.substring(2) : tag).equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] read(String resource) {
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String etag(byte[] body) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(hash, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

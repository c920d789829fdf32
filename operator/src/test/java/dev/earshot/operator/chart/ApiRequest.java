package dev.earshot.operator.chart;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One request as the API server's authorizer sees it: verb, API group, resource, subresource,
 * namespace and name for resource requests, or a path for non-resource requests ({@code /version},
 * discovery). The translation from HTTP follows the API server's request-info rules: GET on a
 * collection is {@code list}, or {@code watch} with {@code ?watch=true}; GET on a name is
 * {@code get}; POST {@code create}; PUT {@code update}; PATCH {@code patch}; DELETE {@code delete}.
 *
 * @param verb the authorization verb
 * @param group API group ("" for core)
 * @param resource plural resource, or null for a non-resource request
 * @param subresource e.g. "status", or null
 * @param namespace namespace, or null for cluster-scoped and all-namespace requests
 * @param name object name, or null
 * @param path the URL path (for non-resource requests and messages)
 */
record ApiRequest(
        String verb, String group, String resource, String subresource, String namespace, String name, String path) {

    /** Parses an HTTP method and request path (with query). */
    static ApiRequest of(String method, String pathAndQuery) {
        URI uri = URI.create(pathAndQuery);
        String path = uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        List<String> parts =
                Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
        String group;
        List<String> rest;
        if (parts.size() >= 3 && parts.get(0).equals("api")) {
            group = "";
            rest = parts.subList(2, parts.size());
        } else if (parts.size() >= 4 && parts.get(0).equals("apis")) {
            group = parts.get(1);
            rest = parts.subList(3, parts.size());
        } else {
            return new ApiRequest(method.toLowerCase(Locale.ROOT), null, null, null, null, null, path);
        }
        String namespace = null;
        if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
            namespace = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        String resource = rest.get(0);
        String name = rest.size() > 1 ? rest.get(1) : null;
        String subresource = rest.size() > 2 ? rest.get(2) : null;
        boolean watch = Arrays.asList(query.split("&")).contains("watch=true")
                || Arrays.asList(query.split("&")).contains("watch=1");
        String verb = switch (method.toUpperCase(Locale.ROOT)) {
            case "GET", "HEAD" -> watch ? "watch" : name == null ? "list" : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name == null ? "deletecollection" : "delete";
            default -> method.toLowerCase(Locale.ROOT);
        };
        return new ApiRequest(verb, group, resource, subresource, namespace, name, path);
    }

    /** A resource request made with another verb (for the extra checks of create and admission). */
    ApiRequest withVerb(String other) {
        return new ApiRequest(other, group, resource, subresource, namespace, name, path);
    }

    boolean isResourceRequest() {
        return resource != null;
    }

    /** "resource" or "resource/subresource", as RBAC rules name it. */
    String qualifiedResource() {
        return subresource == null ? resource : resource + "/" + subresource;
    }

    @Override
    public String toString() {
        if (!isResourceRequest()) {
            return verb + " " + path;
        }
        return verb + " " + (group.isEmpty() ? "core" : group) + "/" + qualifiedResource()
                + (name == null ? "" : " " + name)
                + (namespace == null ? " (all namespaces)" : " in " + namespace);
    }
}

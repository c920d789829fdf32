package dev.earshot.operator.chart;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectRulesReviewStatusBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The API server's front door for the mock: requests that carry the operator's token are
 * authorized against the chart's RBAC (plus the owner-reference admission checks) and answered
 * 403 when denied, as a real API server would; every one is recorded. A SelfSubjectRulesReview
 * is answered from the same rules, so the operator framework's own start-up check of the Lease
 * rights sees what the chart grants. Requests with other credentials (the test's own client)
 * pass unchecked.
 */
final class AuthorizingDispatcher extends Dispatcher {

    /**
     * A request of the operator and its outcome.
     *
     * @param request the request itself
     * @param checks every authorization check it needed (the request, plus create for an apply
     *     that creates, plus admission checks)
     * @param denied the checks the policy refused
     */
    record Call(ApiRequest request, List<ApiRequest> checks, List<ApiRequest> denied) {}

    private final ServerSideApplyShim backend;
    private final String operatorToken;
    private final RbacPolicy policy;
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    AuthorizingDispatcher(ServerSideApplyShim backend, String operatorToken, RbacPolicy policy) {
        this.backend = backend;
        this.operatorToken = operatorToken;
        this.policy = policy;
    }

    /** Everything the operator asked for so far. */
    List<Call> calls() {
        return List.copyOf(calls);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        if (!("Bearer " + operatorToken).equals(request.getHeader("Authorization"))) {
            return backend.dispatch(request);
        }
        ApiRequest api = ApiRequest.of(request.getMethod(), request.getPath());
        List<ApiRequest> checks = new ArrayList<>();
        checks.add(api);
        boolean write = List.of("create", "update", "patch").contains(api.verb());
        if (write && api.isResourceRequest()) {
            String current = api.verb().equals("create") ? null : backend.current(request.getPath());
            if (ServerSideApplyShim.isApply(request) && current == null) {
                checks.add(api.withVerb("create"));
            }
            String body = new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
            if (!body.isBlank()) {
                checks.addAll(
                        OwnerReferenceAdmission.checks(api, RenderedChart.SERIALIZATION.convertToJson(body), current));
            }
        }
        List<ApiRequest> denied = checks.stream().filter(c -> !policy.allows(c)).toList();
        calls.add(new Call(api, List.copyOf(checks), denied));
        if (!denied.isEmpty()) {
            return forbidden(denied);
        }
        if (api.isResourceRequest()
                && api.verb().equals("create")
                && api.group().equals("authorization.k8s.io")
                && api.resource().equals("selfsubjectrulesreviews")) {
            return rulesReview(new String(request.getBody().getBytes(), StandardCharsets.UTF_8));
        }
        return backend.dispatch(request);
    }

    private static MockResponse forbidden(List<ApiRequest> denied) {
        String message = "forbidden by the chart's RBAC: " + denied;
        return new MockResponse()
                .setResponseCode(HttpURLConnection.HTTP_FORBIDDEN)
                .setHeader("Content-Type", "application/json")
                .setBody(RenderedChart.SERIALIZATION.asJson(new StatusBuilder()
                        .withStatus("Failure")
                        .withReason("Forbidden")
                        .withCode(403)
                        .withMessage(message)
                        .build()));
    }

    private MockResponse rulesReview(String body) {
        SelfSubjectRulesReview review = RenderedChart.SERIALIZATION.unmarshal(body, SelfSubjectRulesReview.class);
        List<ResourceRule> rules = policy.rulesIn(review.getSpec().getNamespace()).stream()
                .map(AuthorizingDispatcher::resourceRule)
                .toList();
        review.setStatus(new SubjectRulesReviewStatusBuilder()
                .withResourceRules(rules)
                .withNonResourceRules(List.of())
                .withIncomplete(false)
                .build());
        return new MockResponse()
                .setResponseCode(HttpURLConnection.HTTP_CREATED)
                .setHeader("Content-Type", "application/json")
                .setBody(RenderedChart.SERIALIZATION.asJson(review));
    }

    private static ResourceRule resourceRule(PolicyRule rule) {
        return new ResourceRuleBuilder()
                .withApiGroups(rule.getApiGroups())
                .withResources(rule.getResources())
                .withVerbs(rule.getVerbs())
                .withResourceNames(rule.getResourceNames())
                .build();
    }

    @Override
    public void shutdown() {
        backend.shutdown();
    }
}

package dev.earshot.operator.testing;

import dev.earshot.operator.crd.SpeechService;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Retries a read-modify-write on HTTP 409, as kubectl does: while the operator runs it keeps
 * writing status, so a test's edit can lose the optimistic-locking race.
 */
public final class Conflicts {

    private Conflicts() {}

    /** Changes a SpeechService as a user would, retrying on 409; returns it as written. */
    public static SpeechService edit(
            KubernetesClient client, String namespace, String name, Consumer<SpeechService> change) {
        return retry(() -> client.resources(SpeechService.class)
                .inNamespace(namespace)
                .withName(name)
                .edit(r -> {
                    change.accept(r);
                    return r;
                }));
    }

    public static <T> T retry(Supplier<T> edit) {
        for (int attempt = 1; ; attempt++) {
            try {
                return edit.get();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
            }
        }
    }
}

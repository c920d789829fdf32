package dev.earshot.riva;

import dev.earshot.config.ConfigLoader;
import io.helidon.config.Config;
import java.util.List;
import java.util.Set;

/**
 * {@code riva.allowed-models}: the Riva models clients may ask for in {@code config.model}. A
 * client chooses the model, and each model costs the owner's Riva capacity or NVIDIA cloud credit
 * differently, so an operator can pin the choice. Empty (the default): any model. A start without
 * a model (Riva's default for the language) is always allowed.
 *
 * @param models the allowed names, exactly as Riva spells them
 */
public record AllowedModels(Set<String> models) {
    public AllowedModels {
        models = Set.copyOf(models);
    }

    /** Any model. */
    public static final AllowedModels ANY = new AllowedModels(Set.of());

    /** Reads {@code riva.allowed-models} (a list, or a comma-separated value). */
    public static AllowedModels from(Config config) {
        List<String> names = ConfigLoader.list(config.get("riva.allowed-models"));
        return new AllowedModels(Set.copyOf(names));
    }

    /** Whether a client may ask for {@code model}. */
    public boolean allows(String model) {
        return models.isEmpty() || model == null || model.isEmpty() || models.contains(model);
    }
}

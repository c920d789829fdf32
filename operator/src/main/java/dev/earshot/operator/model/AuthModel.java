package dev.earshot.operator.model;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The part of the gateway pod that {@code spec.auth} decides: the {@code AUTH_*} environment
 * variables, and the Secrets and ConfigMap the files they name come from. {@link DeploymentModel}
 * adds these to the pod; nothing else about the pod depends on authentication.
 *
 * <p>Each file is a one-entry volume mounted read-only as a directory, never with
 * {@code subPath}: the kubelet updates a directory mount in place when its Secret or ConfigMap
 * changes (a new file behind a symbolic link) and never updates a {@code subPath} mount. The
 * gateway re-reads the API keys file, the key set and the token signing key when they change, so
 * keys are added, revoked and rotated without a restart.
 *
 * <p>A Secret or ConfigMap that does not exist, or lacks the entry, keeps the pods from starting
 * (the kubelet reports it in the pod's Events): better than pods that accept no one, or anyone.
 */
public final class AuthModel {

    /** Where the API keys Secret is mounted. */
    public static final String API_KEYS_DIR = "/etc/earshot/api-keys";
    /** Where the token signing key Secret is mounted. */
    public static final String SIGNING_KEY_DIR = "/etc/earshot/token-signing-key";
    /** Where the JWKS ConfigMap is mounted. */
    public static final String JWKS_DIR = "/etc/earshot/jwks";

    private AuthModel() {}

    /** Where a mounted entry comes from. */
    private enum Source {
        SECRET,
        CONFIG_MAP
    }

    /**
     * One Secret or ConfigMap entry as a file in the container.
     *
     * @param volume the pod's volume name
     * @param dir the directory the volume is mounted on
     * @param file the file name within it, the same whatever the entry's key
     * @param source Secret or ConfigMap
     * @param from the object and its key
     * @param env the variable that tells the gateway where the file is
     */
    private record MountedFile(
            String volume, String dir, String file, Source source, AuthConfig.KeyFile from, String env) {

        String path() {
            return dir + "/" + file;
        }
    }

    private static List<MountedFile> files(AuthConfig auth) {
        List<MountedFile> files = new ArrayList<>();
        auth.apiKeys()
                .ifPresent(from -> files.add(new MountedFile(
                        "auth-api-keys", API_KEYS_DIR, "api-keys", Source.SECRET, from, "AUTH_API__KEYS__FILE")));
        auth.tokenSigningKey()
                .ifPresent(from -> files.add(new MountedFile(
                        "auth-token-signing-key",
                        SIGNING_KEY_DIR,
                        "signing-key",
                        Source.SECRET,
                        from,
                        "AUTH_TOKEN__SIGNING__KEY__FILE")));
        auth.jwt()
                .jwks()
                .ifPresent(from -> files.add(new MountedFile(
                        "auth-jwks", JWKS_DIR, "jwks.json", Source.CONFIG_MAP, from, "AUTH_JWT_JWKS__FILE")));
        return files;
    }

    /**
     * The gateway's {@code auth.*} as environment variables ({@code _} a level, {@code __} a dash);
     * none without {@code spec.auth}, so a user who sets them through {@code env} keeps doing so.
     */
    public static List<EnvVar> env(Optional<AuthConfig> config) {
        if (config.isEmpty()) {
            return List.of();
        }
        AuthConfig auth = config.get();
        List<EnvVar> env = new ArrayList<>();
        env.add(plain("AUTH_MODE", auth.mode().value()));
        for (MountedFile file : files(auth)) {
            env.add(plain(file.env(), file.path()));
        }
        if (!auth.jwt().issuer().isEmpty()) {
            env.add(plain("AUTH_JWT_ISSUER", auth.jwt().issuer()));
        }
        if (!auth.jwt().audience().isEmpty()) {
            env.add(plain("AUTH_JWT_AUDIENCE", auth.jwt().audience()));
        }
        auth.maxSessionsPerPrincipal()
                .ifPresent(n -> env.add(plain("AUTH_MAX__SESSIONS__PER__PRINCIPAL", Integer.toString(n))));
        auth.sessionsPerMinutePerPrincipal()
                .ifPresent(n -> env.add(plain("AUTH_SESSIONS__PER__MINUTE__PER__PRINCIPAL", Integer.toString(n))));
        return env;
    }

    /** One volume per referenced Secret or ConfigMap entry, projecting only that entry. */
    public static List<Volume> volumes(Optional<AuthConfig> config) {
        return config.map(AuthModel::files).orElse(List.of()).stream()
                .map(AuthModel::volume)
                .toList();
    }

    /** The read-only directory mounts of those volumes. */
    public static List<VolumeMount> volumeMounts(Optional<AuthConfig> config) {
        return config.map(AuthModel::files).orElse(List.of()).stream()
                .map(file -> new VolumeMountBuilder()
                        .withName(file.volume())
                        .withMountPath(file.dir())
                        .withReadOnly(true)
                        .build())
                .toList();
    }

    private static Volume volume(MountedFile file) {
        VolumeBuilder volume = new VolumeBuilder().withName(file.volume());
        if (file.source() == Source.SECRET) {
            volume.withNewSecret()
                    .withSecretName(file.from().name())
                    .addNewItem()
                    .withKey(file.from().key())
                    .withPath(file.file())
                    .endItem()
                    .endSecret();
        } else {
            volume.withNewConfigMap()
                    .withName(file.from().name())
                    .addNewItem()
                    .withKey(file.from().key())
                    .withPath(file.file())
                    .endItem()
                    .endConfigMap();
        }
        return volume.build();
    }

    private static EnvVar plain(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }
}

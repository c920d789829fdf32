package dev.earshot.operator.testing;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.KeyToPathBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the kubelet would give a gateway container, on the local disk: its Secret and ConfigMap
 * volumes written under a root directory, and its plain environment variables with the paths
 * into those volumes moved under the same root. Volumes are laid out as the kubelet's atomic
 * writer does it (the files behind a {@code ..data} link to a timestamped directory, which an
 * update swaps in one rename), so a process that watches a mounted file sees an update as it
 * would in a pod. Secrets and ConfigMaps are given by name as their decoded entries.
 */
public final class PodFiles {

    private final Path root;
    private final Container container;
    private final Map<String, Volume> volumes = new LinkedHashMap<>();
    private final AtomicInteger generation = new AtomicInteger();

    private PodFiles(Path root, PodSpec pod) {
        this.root = root;
        this.container = pod.getContainers().get(0);
        pod.getVolumes().forEach(v -> volumes.put(v.getName(), v));
    }

    /**
     * Mounts the first container's Secret and ConfigMap volumes under {@code root}.
     *
     * @param objects entries of each Secret or ConfigMap, by object name
     */
    public static PodFiles mount(PodSpec pod, Path root, Map<String, Map<String, String>> objects) {
        PodFiles files = new PodFiles(root, pod);
        for (VolumeMount mount : files.container.getVolumeMounts()) {
            String object = files.objectName(mount);
            if (object != null) {
                files.write(mount, Objects.requireNonNull(objects.get(object), "no object " + object));
            }
        }
        return files;
    }

    /** The kubelet's update after the Secret or ConfigMap {@code object} changed. */
    public void update(String object, Map<String, String> entries) {
        for (VolumeMount mount : container.getVolumeMounts()) {
            if (object.equals(objectName(mount))) {
                write(mount, entries);
            }
        }
    }

    /** The container's plain variables, paths into its volumes moved under the root. */
    public Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar variable : container.getEnv()) {
            if (variable.getValue() == null) {
                continue;
            }
            String value = variable.getValue();
            for (VolumeMount mount : container.getVolumeMounts()) {
                if (objectName(mount) != null && value.startsWith(mount.getMountPath() + "/")) {
                    value = local(mount)
                            .resolve(value.substring(mount.getMountPath().length() + 1))
                            .toString();
                }
            }
            env.put(variable.getName(), value);
        }
        return env;
    }

    private String objectName(VolumeMount mount) {
        Volume volume = volumes.get(mount.getName());
        if (volume == null) {
            throw new IllegalStateException("mount of a volume the pod does not have: " + mount.getName());
        }
        if (volume.getSecret() != null) {
            return volume.getSecret().getSecretName();
        }
        return volume.getConfigMap() != null ? volume.getConfigMap().getName() : null;
    }

    private List<KeyToPath> items(VolumeMount mount, Map<String, String> entries) {
        Volume volume = volumes.get(mount.getName());
        List<KeyToPath> items = volume.getSecret() != null
                ? volume.getSecret().getItems()
                : volume.getConfigMap().getItems();
        if (items == null || items.isEmpty()) {
            List<KeyToPath> all = new ArrayList<>();
            entries.keySet()
                    .forEach(key -> all.add(
                            new KeyToPathBuilder().withKey(key).withPath(key).build()));
            return all;
        }
        return items;
    }

    private Path local(VolumeMount mount) {
        return root.resolve(mount.getMountPath().substring(1));
    }

    /** Writes a new timestamped directory and swaps {@code ..data} to it in one rename. */
    private void write(VolumeMount mount, Map<String, String> entries) {
        Path dir = local(mount);
        try {
            Files.createDirectories(dir);
            Path data = dir.resolve("..data");
            Path previous = Files.isSymbolicLink(data) ? dir.resolve(Files.readSymbolicLink(data)) : null;
            Path version = dir.resolve("..v" + generation.incrementAndGet());
            Files.createDirectories(version);
            for (KeyToPath item : items(mount, entries)) {
                String content = entries.get(item.getKey());
                if (content == null) {
                    throw new IllegalStateException(
                            "the kubelet would not start the pod: no key " + item.getKey() + " for " + dir);
                }
                Files.writeString(version.resolve(item.getPath()), content);
                Path link = dir.resolve(item.getPath());
                if (!Files.isSymbolicLink(link)) {
                    Files.createSymbolicLink(link, Path.of("..data", item.getPath()));
                }
            }
            Path next = dir.resolve("..data_tmp");
            Files.createSymbolicLink(next, version.getFileName());
            Files.move(next, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (previous != null) {
                try (var old = Files.list(previous)) {
                    for (Path file : old.toList()) {
                        Files.delete(file);
                    }
                }
                Files.delete(previous);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

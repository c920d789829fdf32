package dev.earshot.testing;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import io.grpc.StatusOr;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * gRPC targets that resolve to several backends at once, as {@code dns:///riva-headless:50051}
 * does for a headless Service's pods: {@code static:///127.0.0.1:5001,127.0.0.1:5002}. Tests need
 * them because a name that resolves to two loopback ports exists in no DNS. The scheme is
 * registered with gRPC's default registry, which every channel (the gateway's included) asks.
 */
public final class StaticTargets {
    public static final String SCHEME = "static";
    private static final Provider PROVIDER = new Provider();

    static {
        NameResolverRegistry.getDefaultRegistry().register(PROVIDER);
    }

    private StaticTargets() {}

    /** A target that resolves to every one of {@code addresses}. */
    public static String of(InetSocketAddress... addresses) {
        return SCHEME + ":///"
                + Stream.of(addresses)
                        .map(a -> a.getHostString() + ":" + a.getPort())
                        .collect(Collectors.joining(","));
    }

    private static final class Provider extends NameResolverProvider {
        @Override
        protected boolean isAvailable() {
            return true;
        }

        @Override
        protected int priority() {
            return 5;
        }

        @Override
        public String getDefaultScheme() {
            return SCHEME;
        }

        @Override
        public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
            return List.of(InetSocketAddress.class);
        }

        @Override
        public NameResolver newNameResolver(URI target, NameResolver.Args args) {
            if (!SCHEME.equals(target.getScheme())) {
                return null;
            }
            List<EquivalentAddressGroup> groups = new ArrayList<>();
            for (String hostPort : target.getPath().substring(1).split(",")) {
                int colon = hostPort.lastIndexOf(':');
                groups.add(new EquivalentAddressGroup(new InetSocketAddress(
                        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)))));
            }
            return new NameResolver() {
                @Override
                public String getServiceAuthority() {
                    return "static";
                }

                @Override
                public void start(Listener2 listener) {
                    listener.onResult(ResolutionResult.newBuilder()
                            .setAddressesOrError(StatusOr.fromValue(groups))
                            .build());
                }

                @Override
                public void shutdown() {}
            };
        }
    }
}

package dev.earshot.ws;

/**
 * WebSocket frame opcodes (RFC 6455 section 5.2), shared by the gateway's frame codec and the
 * load tool's client.
 */
public final class WsOpcodes {
    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    private WsOpcodes() {}
}

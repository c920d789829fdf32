/**
 * {@code earshot serve}: reads the configuration and wires the rest together (the embedded
 * recognizer or a Riva client, the session registry, the routes), starts them in order and
 * drains them on shutdown. The one package that knows all the others.
 */
package dev.earshot.gateway;

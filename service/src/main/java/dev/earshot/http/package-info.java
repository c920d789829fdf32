/**
 * The HTTP side besides the WebSocket: the REST API ({@code /api/v1/transcriptions},
 * {@code /api/v1/sessions}), CORS and the browser-origin policy it shares with the WebSocket
 * upgrade, the demo page's files, and the error responses they all use.
 */
package dev.earshot.http;

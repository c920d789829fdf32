// Credentials for a gateway that requires them (auth.mode other than none; docs/security.md).
//
// The page asks once whether this gateway wants credentials: GET /api/v1/sessions answers 401
// without them. If it does, the person types an API key. The key stays in this page's memory only
// (the password field; never stored, never put in a URL): each session first exchanges it for a
// short-lived token at POST /api/v1/tokens, and only that token travels in the WebSocket handshake,
// as the subprotocol `bearer.<token>` (browsers cannot set headers on a WebSocket). A gateway that
// takes JWTs only has no token endpoint (404), and a token or JWT pasted into the field cannot mint
// one (403): then the credential is sent as it is.

/** A credential the gateway would not take, in words for the person at the page. */
export class CredentialError extends Error {
  constructor(message) {
    super(message);
    this.name = 'CredentialError';
  }
}

/** Whether the gateway that served this page requires credentials. */
export async function credentialsRequired(fetchFn = fetch) {
  try {
    const response = await fetchFn('/api/v1/sessions', { cache: 'no-store' });
    return response.status === 401;
  } catch {
    return false;                      // unreachable now: the session's own attempt will say so
  }
}

/** The credential one session presents: a fresh token for `key`, or `key` itself (see above). */
export async function sessionCredential(key, fetchFn = fetch) {
  const credential = (key || '').trim();
  if (!credential) {
    throw new CredentialError('This server requires an API key: enter it above, then try again.');
  }
  let response;
  try {
    response = await fetchFn('/api/v1/tokens', {
      method: 'POST',
      headers: { Authorization: `Bearer ${credential}` },
      cache: 'no-store',
    });
  } catch {
    throw new CredentialError('Cannot reach the server. Check that Earshot is running, then try again.');
  }
  switch (response.status) {
    case 200:
      return (await response.json()).token;
    case 403:
    case 404:
      return credential;
    case 401:
      throw new CredentialError('The server refused this API key. Check it and try again.');
    case 429: {
      const wait = response.headers.get('Retry-After');
      throw new CredentialError(`Too many sessions for this key right now. Try again${wait ? ` in ${wait} s` : ''}.`);
    }
    default:
      throw new CredentialError(`The server could not issue a session token (HTTP ${response.status}).`);
  }
}

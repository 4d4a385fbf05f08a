// The web UI's only way to the registry: the public GraphQL API, with the signed-in user's key.
/* global graphqlWs */

const KEY = "modelgraph.apiKey";

export const session = {
  get key() {
    return sessionStorage.getItem(KEY);
  },
  signIn(key) {
    sessionStorage.setItem(KEY, key.trim());
  },
  signOut() {
    sessionStorage.removeItem(KEY);
    closeSocket();
  },
};

export class ApiError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

function authHeaders() {
  const key = session.key;
  return key ? { Authorization: "Bearer " + key } : {};
}

/** Run a query or mutation; resolves to `data`, rejects with ApiError on any error. */
export async function gql(query, variables = {}) {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...authHeaders() },
    body: JSON.stringify({ query, variables }),
  });
  let body;
  try {
    body = await response.json();
  } catch (_) {
    throw new ApiError("The registry answered " + response.status + " without JSON.", "HTTP_" + response.status);
  }
  if (response.status === 401) throw new ApiError(body.message || "Not signed in.", "UNAUTHENTICATED");
  if (body.errors && body.errors.length) throw new ApiError(body.errors[0].message, (body.errors[0].extensions || {}).code);
  if (!response.ok) throw new ApiError(body.message || "HTTP " + response.status, "HTTP_" + response.status);
  return body.data;
}

/** A payload union's failure (`... on Error { code message }`) as an ApiError, else the payload. */
export function unwrap(payload) {
  if (payload && payload.code && payload.message && !payload.__typename?.endsWith("Success")) {
    throw new ApiError(payload.message, payload.code);
  }
  return payload;
}

let socket = null;
let connected = false;

function client() {
  if (!socket) {
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    socket = graphqlWs.createClient({
      url: scheme + "//" + window.location.host + "/graphql",
      connectionParams: () => authHeaders(),
      lazy: true,
      retryAttempts: 5,
    });
    socket.on("connected", () => (connected = true));
    socket.on("closed", () => (connected = false));
  }
  return socket;
}

function closeSocket() {
  if (socket) socket.dispose();
  socket = null;
  connected = false;
}

/** Subscribe over graphql-transport-ws; returns a function that unsubscribes. */
export function subscribe(query, variables, onData, onError) {
  return client().subscribe(
    { query, variables },
    {
      next: (message) => (message.data ? onData(message.data) : onError && onError(message.errors)),
      error: (err) => onError && onError(err),
      complete: () => {},
    },
  );
}

/** Call `fn` each time the websocket is connected (acknowledged); returns a function to stop. */
export function onConnected(fn) {
  const stop = client().on("connected", fn);
  if (connected) fn();
  return stop;
}

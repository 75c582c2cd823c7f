// Failures stay failures behind Hive Gateway (issue 13), and its logs carry no personal data.
//
// - A subgraph that answers 5xx (the hub's 503 DATABASE_UNAVAILABLE, ACCESS_LOG_UNAVAILABLE,
//   ...) or cannot be reached makes the gateway's answer 503 with `Retry-After` (the hub's,
//   else 5 s): without this the gateway answers 200 with `data: null` or a null field, which
//   a client that ignores `errors` reads as an answer ("not protected").
// - `/readiness` reflects the hub: 200 only when the hub's `/readyz` answers 200 within 2 s
//   (the gateway's own readiness, a loaded supergraph, moves to `/readiness/gateway`).
// - `redactingWriter` wraps a log writer: what a log line carries is reduced to messages,
//   codes and numbers of the gateway's own (no request bodies, variables, queries or
//   headers), and any run of 6+ digits (a document number) is masked.

const REDACTED_KEYS = new Set([
  "body",
  "query",
  "variables",
  "params",
  "request",
  "headers",
  "document",
  "extensions",
  "authorization",
  "response",
  "data",
]);

function json(fetchAPI, status, body, headers = {}) {
  return new fetchAPI.Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

/** The plugin: 503 for a failed subgraph call, and `/readiness` from the hub's `/readyz`. */
export function useHonestFailures({ readyUrl, readyUrls = [readyUrl], timeoutMs = 2000 }) {
  const failed = new WeakMap(); // the client's Request -> { status, retryAfter }
  const mark = (request, retryAfter) => {
    if (request && !failed.has(request)) failed.set(request, { status: 503, retryAfter });
  };
  const askOne = (fetchAPI, url) =>
    fetchAPI.fetch(url, { signal: AbortSignal.timeout(timeoutMs) }).then(
      (response) => {
        response.body?.cancel?.();
        return response.ok ? "ready" : response.status;
      },
      () => "unreachable",
    );
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== "/readiness") return undefined;
      const retry = { "retry-after": "5" };
      // Several hub instances (hub_instances.mjs): ready while one of them is; each one's
      // state is listed. One instance: its state is the gateway's.
      return Promise.all(readyUrls.map((ready) => askOne(fetchAPI, ready))).then((states) => {
        const hubs =
          readyUrls.length > 1
            ? { hubs: Object.fromEntries(readyUrls.map((ready, i) => [ready, states[i]])) }
            : {};
        if (states.includes("ready")) {
          return endResponse(json(fetchAPI, 200, { status: "ready", ...hubs }));
        }
        const answered = states.find((state) => typeof state === "number");
        const body =
          answered === undefined
            ? { status: "unavailable", reason: "hub unreachable", ...hubs }
            : { status: "unavailable", reason: "hub not ready", hub: answered, ...hubs };
        return endResponse(json(fetchAPI, 503, body, retry));
      });
    },
    onFetch({ context, fetchFn, setFetchFn }) {
      const request = context?.request;
      if (!request) return; // the gateway's own fetches (JWKS, supergraph)
      setFetchFn((...args) =>
        Promise.resolve(fetchFn(...args)).then(
          (response) => {
            if (response.status >= 500) mark(request, response.headers.get("retry-after") || "5");
            return response;
          },
          (error) => {
            mark(request, "5");
            throw error;
          },
        ),
      );
    },
    onResponse({ request, response, setResponse, fetchAPI }) {
      const failure = failed.get(request);
      if (!failure || response.status >= 500) return;
      const headers = new fetchAPI.Headers(response.headers);
      headers.set("retry-after", failure.retryAfter);
      setResponse(new fetchAPI.Response(response.body, { status: failure.status, headers }));
    },
  };
}

function scrub(value, depth = 0) {
  if (typeof value === "string") return value.replace(/\d{6,}/g, "[omitido]");
  if (value == null || typeof value !== "object") return value;
  if (depth > 4) return "[…]";
  if (value instanceof Error) {
    return { name: value.name, message: scrub(value.message), code: value.extensions?.code };
  }
  if (Array.isArray(value)) return value.slice(0, 20).map((item) => scrub(item, depth + 1));
  const out = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = REDACTED_KEYS.has(key.toLowerCase()) ? "[omitido]" : scrub(item, depth + 1);
  }
  return out;
}

/** A log writer that passes on only what carries no personal data. */
export function redactingWriter(writer) {
  return {
    write(level, attrs, msg) {
      return writer.write(level, attrs == null ? attrs : scrub(attrs), scrub(msg));
    },
    flush: writer.flush ? () => writer.flush() : undefined,
  };
}

// Several hub instances behind the gateway (issue 18), and the client's address passed on to
// them (issue 13).
//
// - `QHUB_HUB_URLS` (comma-separated origins; else `QHUB_HUB_URL`): every subgraph call whose
//   origin is one of them goes to the next instance in turn (round robin), skipping an
//   instance whose `/readyz` did not answer 200 at its last check (checked every 2 s) or
//   that refused a connection in the last 5 s — unless none is left, then all are tried. A
//   call the instance never received (connection refused) is tried once on the next one;
//   anything else is not retried (a mutation might have run).
// - `X-Forwarded-For`: the gateway appends the address it received the request from to what
//   the client sent, as a proxy must. The hub believes only what its trusted proxies wrote
//   (QHUB_TRUSTED_PROXIES = the gateway's address), reading from the right: the entry the
//   gateway appended is the citizen; whatever the client put before it is not believed, so a
//   made-up header cannot buy a fresh rate-limit bucket.

const CHECK_MS = 2000;
const REFUSED_MS = 5000;

export function hubOrigins(env = process.env) {
  const listed = (env.QHUB_HUB_URLS || env.QHUB_HUB_URL || "http://127.0.0.1:8000")
    .split(",")
    .map((url) => url.trim().replace(/\/+$/, ""))
    .filter(Boolean);
  return listed.map((url) => new URL(url).origin);
}

/** The address the gateway's peer connected from (IPv4-mapped IPv6 written as IPv4). */
export function peerAddress(context) {
  const socket = context?.req?.socket ?? context?.req?.connection;
  const address = socket?.remoteAddress;
  if (!address) return null;
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}

function refusedConnection(error) {
  for (let cause = error; cause; cause = cause.cause) {
    if (cause.code === "ECONNREFUSED" || cause.code === "ENOTFOUND") return true;
  }
  return false;
}

/** Each instance's readiness, refreshed in the background; `state()` for /readiness. */
export function readinessWatch(origins, fetchFn = fetch, everyMs = CHECK_MS) {
  const status = new Map(origins.map((origin) => [origin, { ready: true, detail: "unchecked" }]));
  async function checkOne(origin) {
    try {
      const response = await fetchFn(`${origin}/readyz`, { signal: AbortSignal.timeout(everyMs) });
      status.set(origin, { ready: response.ok, detail: response.ok ? "ready" : `${response.status}` });
      await response.body?.cancel?.();
    } catch {
      status.set(origin, { ready: false, detail: "unreachable" });
    }
  }
  const check = () => Promise.all(origins.map(checkOne));
  let timer = null;
  return {
    status,
    check,
    start() {
      if (timer === null && origins.length > 1) {
        check();
        timer = setInterval(check, everyMs);
        timer.unref?.();
      }
    },
  };
}

export function useHubInstances({ origins = hubOrigins(), watch = readinessWatch(origins) } = {}) {
  let next = 0;
  const refusedUntil = new Map();
  const usable = () => {
    const now = Date.now();
    const live = origins.filter(
      (origin) => watch.status.get(origin)?.ready !== false && !(refusedUntil.get(origin) > now),
    );
    return live.length ? live : origins;
  };
  const pick = (exclude) => {
    const choices = usable().filter((origin) => origin !== exclude);
    const list = choices.length ? choices : usable();
    next = (next + 1) % Number.MAX_SAFE_INTEGER;
    return list[next % list.length];
  };
  watch.start();
  return {
    onFetch({ url, setURL, options, setOptions, context, fetchFn, setFetchFn }) {
      const request = context?.request;
      if (!request) return; // the gateway's own fetches (supergraph, JWKS)
      const target = new URL(url);
      if (!origins.includes(target.origin)) return;
      const path = target.pathname + target.search;
      const first = pick(null);
      setURL(first + path);
      const seen = peerAddress(context);
      if (seen) {
        const sent = request.headers.get("x-forwarded-for");
        const given = options.headers || {};
        const headers = {};
        if (typeof given.forEach === "function" && !Array.isArray(given)) {
          given.forEach((value, key) => {
            headers[key] = value;
          });
        } else {
          Object.assign(headers, given);
        }
        for (const key of Object.keys(headers)) {
          if (key.toLowerCase() === "x-forwarded-for") delete headers[key];
        }
        headers["x-forwarded-for"] = sent ? `${sent}, ${seen}` : seen;
        setOptions({ ...options, headers });
      }
      if (origins.length < 2) return;
      setFetchFn((input, init, ...rest) =>
        Promise.resolve(fetchFn(input, init, ...rest)).catch((error) => {
          if (!refusedConnection(error)) throw error;
          refusedUntil.set(first, Date.now() + REFUSED_MS);
          const other = pick(first);
          if (other === first) throw error;
          return fetchFn(String(input).replace(first, other), init, ...rest);
        }),
      );
    },
  };
}

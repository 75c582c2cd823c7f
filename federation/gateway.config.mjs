// Hive Gateway configuration of Qoricancha Hub's federated mode.
//
//   node node_modules/@graphql-hive/gateway/dist/bin.js supergraph supergraph.graphql \
//        -c gateway.config.mjs --host 127.0.0.1 --port 4000
//
// Environment (same names as the hub's settings where they mean the same thing):
//   QHUB_HUB_URL        the hub; its JWKS is {hub}/.well-known/jwks.json   (http://127.0.0.1:8000)
//   QHUB_HUB_URLS       several hub instances (comma-separated; the first one's JWKS is used:
//                       they share their keys, QHUB_KEYS_DIR): subgraph calls are spread over
//                       them, each carrying the client's X-Forwarded-For (hub_instances.mjs)
//   QHUB_JWKS_URL       overrides the JWKS URL
//   QHUB_ISSUER         expected `iss`                               (https://qoricancha.cepr.gob.pe)
//   QHUB_AUDIENCE       expected `aud`                               (qoricancha-hub)
//   QHUB_GATEWAY_ANONYMOUS=1  let requests without a token through (they reach only fields with
//                       no @authenticated / @requiresScopes / @policy: the public statistics);
//                       by default a request without a token is refused with 401.
//
// What the gateway enforces before any subgraph is called:
//   - a token, when present, is a JWT signed RS256 or ES256 by a key of the hub's JWKS, with the
//     hub's `iss` and `aud`, not expired (else 401, whatever the query);
//   - scopes of the caller: `role:<role>` from the `role` claim (plus any `scope` / `scp` words);
//   - policies of the caller: `purpose:<p>` for the purpose named in X-Purpose when the token
//     holds it (`purposes` / `purpose` claims), and `agency:<agency>`; a purpose the token does
//     not hold gets 403 PURPOSE_NOT_ALLOWED, an agency naming none 403 PURPOSE_REQUIRED, and
//     commission staff default to case-management (as the hub: auth/tokens.py);
//   - @authenticated / @requiresScopes / @policy from the supergraph: a field the caller may not
//     read refuses the whole operation (403 FORBIDDEN; 401 UNAUTHENTICATED without a token), as
//     the hub's own contract does (the field is not in that role's schema there).
// Authorization and X-Purpose are forwarded to the subgraphs, which verify the token again and
// apply the row conditions of the policy: the gateway is a second fence, not the only one.
//
// NEVER enable JIT here (--jit, JIT=1 or `jit: true`): with the auth plugin the compiled-query
// cache key is undefined and one caller can receive another caller's data (STACK.md).
import {
  ConsoleLogWriter,
  createRemoteJwksSigningKeyProvider,
  defineConfig,
  extractFromHeader,
  JSONLogWriter,
  Logger,
} from "@graphql-hive/gateway";
import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { GraphQLError } from "graphql";
import { redactingWriter, useHonestFailures } from "./honest_failures.mjs";
import { hubOrigins, useHubInstances } from "./hub_instances.mjs";

const truthy = (value) => ["1", "true", "yes", "on"].includes(String(value ?? "").trim().toLowerCase());

if (truthy(process.env.JIT) || process.argv.includes("--jit")) {
  throw new Error(
    "Qoricancha Hub: Hive Gateway must not run with JIT together with its auth plugin " +
      "(one caller could receive another caller's data). Unset JIT / drop --jit.",
  );
}

const hubs = hubOrigins();
const hub = hubs[0];
const jwksUri = process.env.QHUB_JWKS_URL || `${hub}/.well-known/jwks.json`;
const issuer = process.env.QHUB_ISSUER || "https://qoricancha.cepr.gob.pe";
const audience = process.env.QHUB_AUDIENCE || "qoricancha-hub";
const anonymous = truthy(process.env.QHUB_GATEWAY_ANONYMOUS);

function words(value) {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === "string") return value.split(/\s+/).filter(Boolean);
  return [];
}

/** Scopes of a verified token payload: role:<role> for its role(s), and its OAuth scopes. */
export function scopesOf(payload) {
  if (!payload || typeof payload !== "object") return [];
  const roles = [...words(payload.role), ...words(payload.roles)];
  return [...roles.map((role) => `role:${role}`), ...words(payload.scope), ...words(payload.scp)];
}

const AGENCIES_NAMING_PURPOSE = ["migraciones", "minsa", "acnur"];

/** The purpose the request names (X-Purpose), or null. */
function requestedPurpose(context) {
  const value = context?.request?.headers?.get?.("x-purpose");
  return value ? value.trim() : null;
}

/**
 * The purpose in use, as the hub decides it (auth/tokens.py): the one named in X-Purpose,
 * which the token must hold; other agencies must name one; commission staff default to
 * case-management.
 */
function purposeInUse(payload, context) {
  const requested = requestedPurpose(context);
  if (requested) return requested;
  if (AGENCIES_NAMING_PURPOSE.includes(payload?.agency)) {
    throw new GraphQLError("Indique el propósito de la consulta en la cabecera X-Purpose.", {
      extensions: { code: "PURPOSE_REQUIRED", http: { status: 403 } },
    });
  }
  return payload?.agency === "cepr" ? "case-management" : null;
}

/** The purposes a token holds (`purposes` list, or a single `purpose`). */
function heldPurposes(payload) {
  return [...words(payload?.purposes), ...words(payload?.purpose)];
}

/** Policies of a caller: purpose:<p> for the requested purpose it holds, and agency:<agency>. */
export function policiesOf(payload, purpose) {
  const policies = [];
  const held = heldPurposes(payload);
  if (purpose && held.includes(purpose)) policies.push(`purpose:${purpose}`);
  if (payload?.agency) policies.push(`agency:${payload.agency}`);
  return policies;
}

function satisfies(required, held) {
  // Federation semantics: [[a, b], [c]] means (a AND b) OR c.
  return required.some((all) => all.every((item) => held.includes(item)));
}

/**
 * The check of one field of an operation: 401 UNAUTHENTICATED when a guarded field is asked
 * without a token, 403 FORBIDDEN when the caller's scopes or policies do not satisfy it.
 */
export function validateField(params) {
  const { user, fieldNode, path } = params;
  const guarded =
    params.typeAuthArgs || params.fieldAuthArgs || params.typeScopes || params.fieldScopes ||
    params.typePolicies?.length || params.fieldPolicies?.length;
  if (!guarded) return undefined;
  const where = `${params.parentType.name}.${params.field.name}`;
  if (user == null) {
    return new GraphQLError(`Se necesita un token para leer ${where}.`, {
      nodes: [fieldNode],
      path,
      extensions: { code: "UNAUTHENTICATED", http: { status: 401 } },
    });
  }
  const checks = [
    [params.typeScopes, params.userScopes],
    [params.typePolicies, params.userPolicies],
    [params.fieldScopes, params.userScopes],
    [params.fieldPolicies, params.userPolicies],
  ];
  for (const [required, held] of checks) {
    if (required?.length && !satisfies(required, held ?? [])) {
      return new GraphQLError(`No tiene permiso para leer ${where}.`, {
        nodes: [fieldNode],
        path,
        extensions: { code: "FORBIDDEN", http: { status: 403 } },
      });
    }
  }
  return undefined;
}

const ALGORITHMS = ["RS256", "ES256"];

/**
 * The hub's public keys by key id, from its JWKS (fetched on an unknown kid, so a rotated key
 * is picked up at its first token), kept as parsed KeyObjects: parsing the PEM again for every
 * request cost ~0.4 ms of the gateway's CPU per request.
 */
function cachedJwksKeys(options) {
  const remote = createRemoteJwksSigningKeyProvider(options);
  const parsed = new Map();
  const maxAge = options.cacheMaxAge ?? 10 * 60 * 1000;
  // A key id the hub does not publish gets a key nobody holds: the signature check then fails
  // and the caller gets 401 (the plugin answers 500 when a provider finds no key). A JWKS that
  // cannot be fetched still gives 500: that is the gateway's fault, not the caller's.
  const nobodysKey = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey;
  const unknownKid = new Set(["SigningKeyNotFoundError", "JwksRateLimitError"]);
  return (kid) => {
    const hit = parsed.get(kid);
    if (hit && hit.until > Date.now()) return hit.key;
    return Promise.resolve(remote(kid)).then(
      (pem) => {
        const key = createPublicKey(pem);
        parsed.set(kid, { key, until: Date.now() + maxAge });
        return key;
      },
      (error) => {
        if (unknownKid.has(error?.name)) return nobodysKey;
        throw error;
      },
    );
  };
}
const fromAuthorization = extractFromHeader({ name: "authorization", prefix: "Bearer" });

function invalidToken(reason) {
  return new GraphQLError(`Token inválido: ${reason}.`, {
    extensions: {
      code: "UNAUTHENTICATED",
      http: { status: 401, headers: { "WWW-Authenticate": 'Bearer error="invalid_token"' } },
    },
  });
}

/**
 * The bearer token, refused early (401) unless its header names an accepted algorithm and a
 * key id: `alg: none`, HS256 and key-less tokens never reach the key lookup.
 */
export function bearerToken(params) {
  const found = fromAuthorization(params);
  if (!found) return found;
  let header = null;
  try {
    header = JSON.parse(Buffer.from(found.token.split(".")[0], "base64url").toString("utf8"));
  } catch {
    throw invalidToken("no es un JWT");
  }
  if (!header || !ALGORITHMS.includes(header.alg)) throw invalidToken("algoritmo no aceptado");
  if (typeof header.kid !== "string" || !header.kid) throw invalidToken("sin identificador de clave");
  return found;
}

export const gatewayConfig = defineConfig({
  // Never true: see above. The CLI's --jit / JIT would override this, hence the check above.
  jit: false,
  jwt: {
    signingKeyProviders: [
      cachedJwksKeys({
        jwksUri,
        cache: true,
        cacheMaxAge: 10 * 60 * 1000,
        rateLimit: true,
        jwksRequestsPerMinute: 30,
        timeout: 10_000,
      }),
    ],
    tokenLookupLocations: [bearerToken],
    tokenVerification: { algorithms: ALGORITHMS, issuer, audience },
    reject: { missingToken: !anonymous, invalidToken: true },
    // The subgraphs get the caller's own Authorization header and verify it themselves; an
    // unsigned copy of the claims in `extensions` is never sent.
    forward: { payload: false, token: false },
  },
  genericAuth: {
    mode: "protect-granular",
    rejectUnauthenticated: true,
    resolveUserFn(context) {
      const payload = context.jwt?.payload;
      if (!payload) return null;
      const purpose = purposeInUse(payload, context);
      if (purpose && !heldPurposes(payload).includes(purpose)) {
        throw new GraphQLError(
          `El propósito «${purpose}» no está en el acuerdo de su entidad.`,
          { extensions: { code: "PURPOSE_NOT_ALLOWED", http: { status: 403 } } },
        );
      }
      return payload;
    },
    validateUser: validateField,
    extractScopes: scopesOf,
    extractPolicies: (payload, context) => policiesOf(payload, purposeInUse(payload, context)),
  },
  propagateHeaders: {
    fromClientToSubgraphs({ request }) {
      return {
        authorization: request.headers.get("authorization") ?? undefined,
        "x-purpose": request.headers.get("x-purpose") ?? undefined,
        "x-request-id": request.headers.get("x-request-id") ?? undefined,
      };
    },
  },
  // The supergraph file is re-read when it changes (qhub federation compose rewrites it).
  pollingInterval: 10_000,
  // A failed subgraph call answers 503 + Retry-After; /readiness is the hub's /readyz
  // (QHUB_HUB_READY_URL); logs carry no request bodies, variables or document numbers.
  readinessCheckEndpoint: "/readiness/gateway",
  plugins: () => [
    // first: a call retried on another instance is not a failure for useHonestFailures
    useHubInstances({ origins: hubs }),
    useHonestFailures({
      readyUrls: process.env.QHUB_HUB_READY_URL
        ? [process.env.QHUB_HUB_READY_URL]
        : hubs.map((origin) => `${origin}/readyz`),
    }),
  ],
  logging: new Logger({
    level: process.env.LOG_LEVEL || "info",
    writers: [redactingWriter(truthy(process.env.LOG_JSON) ? new JSONLogWriter() : new ConsoleLogWriter())],
  }),
});

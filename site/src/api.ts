// The hub's GraphQL (typed by the generated operations), its token endpoint and the
// account endpoints. Errors keep the hub's code, Spanish message and field problems.
import { OPERATIONS, type Operations } from "./generated/operations";

export interface Problem {
  path: Array<string | number>;
  code: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly problems: Problem[] = [],
  ) {
    super(message);
  }
}

const TOKEN = "qhub-sitio-token";

export function token(): string | null {
  return sessionStorage.getItem(TOKEN);
}

export function logout(): void {
  sessionStorage.removeItem(TOKEN);
}

/** The person id inside the applicant's token (``person_id`` claim). */
export function personId(): string | null {
  const jwt = token();
  if (!jwt) return null;
  try {
    const part = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const claims = JSON.parse(atob(part)) as { person_id?: number; exp?: number };
    if (claims.exp && claims.exp * 1000 < Date.now()) return null;
    return claims.person_id !== undefined ? String(claims.person_id) : null;
  } catch {
    return null;
  }
}

const UNAVAILABLE = "No pudimos comunicarnos con la Comisión. Revise su conexión e inténtelo de nuevo.";

/** Run one of the site's operations. */
export async function run<K extends keyof Operations>(
  name: K,
  variables: Operations[K]["variables"],
): Promise<Operations[K]["data"]> {
  const operation = OPERATIONS[name];
  const headers: Record<string, string> = { "Content-Type": "application/json", Accept: "application/json" };
  const jwt = token();
  if (operation.role === "applicant") {
    if (!jwt) throw new ApiError("Su sesión terminó: ingrese de nuevo.", "UNAUTHENTICATED");
    headers.Authorization = `Bearer ${jwt}`;
  }
  let response: Response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers,
      body: JSON.stringify({ query: operation.text, variables, operationName: name }),
    });
  } catch {
    throw new ApiError(UNAVAILABLE, "NETWORK");
  }
  let body: { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string; problems?: Problem[] } }> };
  try {
    body = await response.json();
  } catch {
    throw new ApiError(UNAVAILABLE, "BAD_RESPONSE");
  }
  if (response.status === 401) {
    logout();
    throw new ApiError("Su sesión terminó: ingrese de nuevo.", "UNAUTHENTICATED");
  }
  if (body.errors?.length) {
    const problems = body.errors.flatMap((e) => e.extensions?.problems ?? []);
    const first = body.errors[0];
    throw new ApiError(first.message, first.extensions?.code ?? "ERROR", problems);
  }
  return body.data as Operations[K]["data"];
}

/** Password login (the hub's self-service client). */
export async function login(username: string, password: string): Promise<void> {
  const form = new URLSearchParams({ grant_type: "password", client_id: "qhub-self-service", username, password });
  let response: Response;
  try {
    response = await fetch("/oauth/token", { method: "POST", body: form });
  } catch {
    throw new ApiError(UNAVAILABLE, "NETWORK");
  }
  const body = (await response.json().catch(() => ({}))) as { access_token?: string; error_description?: string; error?: string };
  if (!response.ok || !body.access_token) {
    const message =
      response.status === 429
        ? body.error_description ?? "Demasiados intentos: espere unos minutos."
        : "El usuario o la contraseña no son correctos, o la cuenta aún no está activada.";
    throw new ApiError(message, body.error ?? "INVALID_CREDENTIALS");
  }
  sessionStorage.setItem(TOKEN, body.access_token);
}

/** One of the account endpoints (activation, password reset). */
export async function account(path: "activate" | "reset-request" | "reset", fields: Record<string, string>): Promise<string> {
  let response: Response;
  try {
    response = await fetch(`/account/${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(fields),
    });
  } catch {
    throw new ApiError(UNAVAILABLE, "NETWORK");
  }
  const body = (await response.json().catch(() => ({}))) as { ok?: boolean; message?: string; error?: string; problems?: Problem[] };
  if (!response.ok || !body.ok) {
    throw new ApiError(body.message ?? UNAVAILABLE, body.error ?? "ERROR", body.problems ?? []);
  }
  return body.message ?? "";
}

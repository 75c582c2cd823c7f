// Who is logged in, what their contract lets them read, and logging in and out.
import { api, run } from "./api";
import { OAUTH_ES } from "./labels";

const TOKEN_KEY = "qhub.token";

export interface Session {
  role: string;
  officeCode: string | null;
  /** "Type.field" -> allowed, from explainAccess (the role's contract). */
  allowed: Map<string, boolean>;
  /** "Type.field" -> row condition (own-office, assigned, ...). */
  conditions: Map<string, string>;
  needLabels: Map<string, string>;
  offices: { code: string; name: string }[];
}

export const state: { session: Session | null } = { session: null };

export function restoreToken(): void { api.token = sessionStorage.getItem(TOKEN_KEY); }

export function setToken(token: string): void { api.token = token; sessionStorage.setItem(TOKEN_KEY, token); }

export function clearSession(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  api.token = null; api.role = null; state.session = null;
}

export const can = (type: string, field: string): boolean => state.session?.allowed.get(`${type}.${field}`) === true;

export async function loadSession(): Promise<Session> {
  const { data, errors } = await run("Session", {});
  if (!data) throw Object.assign(new Error("sin sesión"), { errors });
  api.role = data.whoami.role;
  const session: Session = {
    role: data.whoami.role,
    officeCode: data.whoami.officeCode,
    allowed: new Map(data.explainAccess.map((a) => [`${a.typeName}.${a.fieldName}`, a.allowed])),
    conditions: new Map(data.explainAccess.filter((a) => a.condition).map((a) => [`${a.typeName}.${a.fieldName}`, a.condition!])),
    needLabels: new Map(data.specificNeedCodes.map((n) => [n.code, n.labelEs])),
    offices: data.offices,
  };
  state.session = session;
  return session;
}

/** Password login at /oauth/token; the error is always a Spanish sentence. */
export async function loginWithPassword(username: string, password: string): Promise<string> {
  const form = new URLSearchParams({ grant_type: "password", username, password, client_id: "qhub-console" });
  let response: Response;
  try {
    response = await fetch("/oauth/token", { method: "POST", body: form,
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" } });
  } catch {
    throw new Error("No se pudo contactar con el hub.");
  }
  const body = (await response.json().catch(() => ({}))) as { access_token?: string; error?: string; error_description?: string };
  if (!response.ok || !body.access_token) {
    if (response.status === 429) throw new Error("Demasiados intentos de inicio de sesión: espere unos minutos y vuelva a intentarlo.");
    throw new Error(OAUTH_ES[body.error ?? ""] ?? `No se pudo iniciar sesión (código ${body.error ?? response.status}).`);
  }
  return body.access_token;
}

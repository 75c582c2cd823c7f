// The console's only door to the hub: named operations from operations/*.graphql, sent as
// persisted queries (SHA-256 first; the text only when the hub has not seen it).
import { OPERATIONS, type OperationTypes } from "./generated/operations";
import type { ShownError } from "./dom";

export type OpName = keyof OperationTypes;
export interface Result<D> { data: D | null; errors: ShownError[] }

export class ApiError extends Error {
  constructor(readonly errors: ShownError[]) { super(errors.map((e) => e.message).join("; ")); }
}

const PURPOSE = "case-management";
const SESSION_CODES = ["UNAUTHENTICATED", "TOKEN_EXPIRED", "INVALID_TOKEN"];

export const api = {
  token: null as string | null,
  role: null as string | null,
  onSessionLost: (_errors: ShownError[]): void => {},
};

/** Whether the logged-in role sends this operation (its file lists the role, and the
 * build checked it against that role's contract). */
export function mayRun(name: OpName): boolean {
  return api.role != null && (OPERATIONS[name].roles as readonly string[]).includes(api.role);
}

async function post(body: unknown): Promise<{ data?: unknown; errors?: ShownError[] }> {
  let response: Response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json",
        Authorization: `Bearer ${api.token}`, "X-Purpose": PURPOSE },
      body: JSON.stringify(body),
    });
  } catch {
    throw new ApiError([{ message: "No se pudo contactar con el hub.", extensions: { code: "NETWORK_ERROR" } }]);
  }
  try {
    return await response.json();
  } catch {
    throw new ApiError([{ message: `Respuesta no válida del hub (HTTP ${response.status}).`, extensions: { code: "BAD_RESPONSE" } }]);
  }
}

export async function run<K extends OpName>(name: K, variables: OperationTypes[K]["variables"]): Promise<Result<OperationTypes[K]["data"]>> {
  const op = OPERATIONS[name];
  const persisted = { persistedQuery: { version: 1, sha256Hash: op.hash } };
  let body = await post({ operationName: op.name, variables, extensions: persisted });
  if (body.errors?.some((e) => e.extensions?.code === "PERSISTED_QUERY_NOT_FOUND")) {
    body = await post({ operationName: op.name, query: op.text, variables, extensions: persisted });
  }
  const errors = body.errors ?? [];
  if (errors.some((e) => SESSION_CODES.includes(String(e.extensions?.code)))) {
    api.onSessionLost(errors);
    throw new ApiError(errors);
  }
  if (body.data == null && !errors.length) {
    throw new ApiError([{ message: "Respuesta vacía del hub.", extensions: { code: "BAD_RESPONSE" } }]);
  }
  return { data: (body.data ?? null) as OperationTypes[K]["data"] | null, errors };
}

export const asErrors = (e: unknown): ShownError[] =>
  e instanceof ApiError ? e.errors : [{ message: String((e as Error)?.message ?? e), extensions: { code: "ERROR" } }];

/** The response paths a FORBIDDEN error named, and the row conditions they gave. */
export function forbidden(errors: readonly ShownError[]): { paths: Set<string>; conditions: Set<string> } {
  const paths = new Set<string>();
  const conditions = new Set<string>();
  for (const e of errors) {
    if (e.extensions?.code !== "FORBIDDEN") continue;
    const path = (e as { path?: (string | number)[] }).path;
    if (path) paths.add(path.join("."));
    if (typeof e.extensions.condition === "string") conditions.add(e.extensions.condition);
  }
  return { paths, conditions };
}

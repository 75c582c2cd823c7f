// Spanish words of the console: one place, so every page uses the same ones.
import type { CaseStatus } from "./generated/types";

export const STATUS_ES: Record<CaseStatus, string> = {
  PRE_REGISTERED: "Prerregistrado", APPOINTMENT_SCHEDULED: "Cita programada",
  REGISTERED: "Registrado", UNDER_REVIEW: "En evaluación", RECOGNISED: "Reconocido",
  REJECTED: "Denegado", APPEAL: "En apelación", REJECTED_FINAL: "Denegado (firme)",
  WITHDRAWN: "Desistido", CLOSED: "Cerrado", ABANDONED: "Abandonado",
};
export const REL_ES: Record<string, string> = { PRINCIPAL: "Solicitante principal", SPOUSE: "Cónyuge",
  CHILD: "Hijo/a", PARENT: "Padre/madre", SIBLING: "Hermano/a", OTHER: "Otro" };
export const SEX_ES: Record<string, string> = { FEMALE: "Femenino", MALE: "Masculino", OTHER: "Otro" };
export const DOC_ES: Record<string, string> = { PASSPORT: "Pasaporte", NATIONAL_ID: "Documento nacional", OTHER: "Otro" };
export const MODE_ES: Record<string, string> = { IN_PERSON: "Presencial", REMOTE: "Remota" };
export const APPT_PURPOSE_ES: Record<string, string> = { REGISTRATION_INTERVIEW: "Entrevista de registro",
  BIOMETRIC_ENROLMENT: "Registro biométrico", CARD_PICKUP: "Entrega de carné",
  ELIGIBILITY_INTERVIEW: "Entrevista de elegibilidad" };
export const APPT_STATUS_ES: Record<string, string> = { BOOKED: "Reservada", CANCELLED: "Cancelada",
  ATTENDED: "Asistió", MISSED: "No asistió" };
export const ROLE_ES: Record<string, string> = { "cepr-supervisor": "Supervisión CEPR",
  "cepr-registrar": "Registro CEPR", "cepr-eligibility": "Elegibilidad CEPR",
  "cepr-secretary": "Secretaría Ejecutiva" };
export const GROUND_ES: Record<string, string> = { RACE: "Raza", RELIGION: "Religión",
  NATIONALITY: "Nacionalidad", SOCIAL_GROUP: "Pertenencia a un grupo social",
  POLITICAL_OPINION: "Opinión política", CARTAGENA: "Declaración de Cartagena" };
export const ENROL_ES: Record<string, string> = { ENROLLED: "Datos biométricos registrados.",
  ALREADY_ENROLLED: "La persona ya tenía datos biométricos registrados.",
  POSSIBLE_DUPLICATE: "Coincide con una persona ya enrolada: queda un posible duplicado para supervisión." };

// Spanish text for the codes the hub answers with (its own message is shown too when present).
export const CODE_ES: Record<string, string> = {
  FORBIDDEN: "Su rol no tiene permiso para esto.",
  NOT_FOUND: "No se encontró.",
  CONFLICT: "La operación choca con el estado actual.",
  VALIDATION_FAILED: "Revise los datos del formulario.",
  UNAUTHENTICATED: "Su sesión no es válida: vuelva a iniciar sesión.",
  TOKEN_EXPIRED: "Su sesión venció: vuelva a iniciar sesión.",
  INVALID_TOKEN: "El token no es válido.",
  NETWORK_ERROR: "No se pudo contactar con el hub.",
  BAD_RESPONSE: "Respuesta no válida del hub.",
  NOT_ALLOWED_FOR_ROLE: "Su rol no puede hacer esta operación.",
};

// /oauth/token error codes (RFC 6749) in Spanish; the hub's English description is not shown.
export const OAUTH_ES: Record<string, string> = {
  invalid_grant: "Usuario o contraseña incorrectos.",
  invalid_client: "Esta aplicación no está autorizada para iniciar sesión.",
  invalid_request: "Faltan datos para iniciar sesión.",
  unsupported_grant_type: "El hub no admite este modo de inicio de sesión.",
  unauthorized_client: "Esta aplicación no está autorizada para iniciar sesión.",
  invalid_scope: "El permiso pedido no es válido.",
  temporarily_unavailable: "El hub no puede atender ahora; inténtelo de nuevo en un momento.",
  slow_down: "Demasiados intentos: espere un momento.",
};

// Everything the site says about codes, in plain Spanish.
import type { AppointmentMode, AppointmentPurpose, AppointmentStatus, CaseStatus, Relationship } from "./generated/types";

/** What each status means for the person, and what comes next. */
export const STATUS: Record<CaseStatus, { title: string; now: string; next: string }> = {
  PRE_REGISTERED: {
    title: "Prerregistro recibido",
    now: "Recibimos sus datos. Su solicitud todavía no está registrada.",
    next: "Reserve una cita para la entrevista de registro (presencial o por videollamada).",
  },
  APPOINTMENT_SCHEDULED: {
    title: "Cita reservada",
    now: "Tiene una cita para la entrevista de registro.",
    next: "Preséntese (o conéctese) a la hora de su cita con su documento de identidad, si lo tiene.",
  },
  REGISTERED: {
    title: "Solicitud registrada",
    now: "Su solicitud de refugio está registrada y en trámite. Está protegido/a frente a la expulsión.",
    next: "La Comisión asignará su caso a un oficial de elegibilidad. Puede pedir su autorización de trabajo.",
  },
  UNDER_REVIEW: {
    title: "En evaluación",
    now: "Un oficial de elegibilidad está estudiando su solicitud. Sigue protegido/a frente a la expulsión.",
    next: "Si hace falta una entrevista, la Comisión le citará. Mantenga vigente su autorización de trabajo.",
  },
  RECOGNISED: {
    title: "Refugiado/a reconocido/a",
    now: "La Comisión reconoció su condición de refugiado/a.",
    next: "Tramite su carné de extranjería ante Migraciones con la resolución de la Comisión.",
  },
  REJECTED: {
    title: "Solicitud denegada",
    now: "La Comisión denegó su solicitud. Mientras pueda apelar, sigue protegido/a frente a la expulsión.",
    next: "Puede presentar una apelación dentro del plazo que indica la resolución.",
  },
  APPEAL: {
    title: "Apelación en trámite",
    now: "Su apelación está en trámite. Sigue protegido/a frente a la expulsión.",
    next: "Espere la decisión sobre la apelación; le avisaremos.",
  },
  REJECTED_FINAL: {
    title: "Denegada en forma definitiva",
    now: "La decisión es definitiva.",
    next: "Consulte en una oficina de la Comisión o con ACNUR qué opciones tiene.",
  },
  WITHDRAWN: {
    title: "Solicitud retirada",
    now: "Usted retiró su solicitud.",
    next: "Si necesita protección de nuevo, puede presentar una nueva solicitud.",
  },
  CLOSED: {
    title: "Expediente cerrado",
    now: "El expediente está cerrado.",
    next: "Consulte en una oficina de la Comisión si cree que es un error.",
  },
  ABANDONED: {
    title: "Archivado por abandono",
    now: "El expediente se archivó porque no hubo respuesta a las citaciones.",
    next: "Acérquese a una oficina de la Comisión para reabrir su caso.",
  },
};

export const MODE: Record<AppointmentMode, string> = {
  IN_PERSON: "Presencial, en la oficina",
  REMOTE: "Remota, por videollamada",
};

export const PURPOSE: Record<AppointmentPurpose, string> = {
  REGISTRATION_INTERVIEW: "Entrevista de registro",
  BIOMETRIC_ENROLMENT: "Toma de huellas y fotografía",
  CARD_PICKUP: "Recojo del carné",
  ELIGIBILITY_INTERVIEW: "Entrevista de elegibilidad",
};

export const APPOINTMENT_STATUS: Record<AppointmentStatus, string> = {
  BOOKED: "Reservada",
  CANCELLED: "Cancelada",
  ATTENDED: "Asistió",
  MISSED: "No asistió",
};

export const RELATIONSHIP: Record<Relationship, string> = {
  PRINCIPAL: "Titular",
  SPOUSE: "Cónyuge o pareja",
  CHILD: "Hija o hijo",
  PARENT: "Madre o padre",
  SIBLING: "Hermana o hermano",
  OTHER: "Otro familiar",
};

export const PERMIT_STATUS: Record<string, string> = {
  active: "Vigente",
  replaced: "Reemplazada por una más reciente",
  revoked: "Revocada",
};

/** Who read my data: agencies and purposes as people know them. */
export const AGENCY: Record<string, string> = {
  cepr: "Comisión Especial para los Refugiados (personal de la Comisión)",
  migraciones: "Superintendencia Nacional de Migraciones",
  minsa: "Ministerio de Salud",
  acnur: "ACNUR, la Agencia de la ONU para los Refugiados",
  applicant: "Usted mismo/a",
  public: "Consulta pública",
};

export const READ_PURPOSE: Record<string, string> = {
  "case-management": "Tramitar su solicitud de refugio",
  "deportation-protection": "Comprobar que está protegido/a frente a la expulsión",
  "health-workforce": "Incorporar profesionales de la salud (solo con su consentimiento)",
  "protection-assistance": "Brindarle asistencia y protección",
};

export const CATEGORY: Record<string, string> = {
  identity: "identidad",
  "identity.search": "búsqueda de identidad",
  contact: "datos de contacto",
  status: "estado de la solicitud",
  "status.work_permit": "si tiene autorización de trabajo",
  "status.detailed": "estado detallado",
  claim: "motivos de la solicitud",
  "claim.decision_letter": "resolución",
  needs: "necesidades específicas",
  biometrics: "datos biométricos",
  "biometrics.match": "resultado de cotejo biométrico",
  family: "familia",
  "family.protection": "protección de familiares",
  profession: "profesión y estudios",
  case_admin: "trámite (oficina, citas)",
  "case_admin.appointments": "citas",
  audit: "registro de accesos",
};

export function spanish(map: Record<string, string>, code: string | null | undefined): string {
  if (!code) return "—";
  return map[code] ?? code;
}

const LIMA = "America/Lima";

export function dateEs(iso: string | null | undefined): string {
  if (!iso) return "—";
  const [y, m, d] = iso.slice(0, 10).split("-");
  return `${d}/${m}/${y}`;
}

export function dateTimeEs(iso: string | null | undefined): string {
  if (!iso) return "—";
  return new Intl.DateTimeFormat("es-PE", { dateStyle: "full", timeStyle: "short", timeZone: LIMA }).format(new Date(iso));
}


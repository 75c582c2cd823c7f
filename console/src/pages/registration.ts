// The registrar's registration of a pre-registered case at its appointment: identity
// confirmed, languages / education / profession of each member, a new family member,
// a specific need. The hub refuses (and the console shows why) a case whose principal has
// no biometric enrolment or whose members have a possible duplicate under review.
import { mayRun, run } from "../api";
import { card, field, h } from "../dom";
import type { EducationLevel, NeedData, NewMemberData, Relationship, Sex } from "../generated/types";
import { REL_ES, SEX_ES } from "../labels";
import { state } from "../session";
import type { CaseData } from "./case";
import { actionForm } from "./case_actions";

const EDUCATION_ES: Record<EducationLevel, string> = { NONE: "Sin estudios", PRIMARY: "Primaria",
  SECONDARY: "Secundaria", TECHNICAL: "Técnica", UNIVERSITY: "Universitaria", POSTGRADUATE: "Posgrado" };

const options = (pairs: [string, string][], empty?: string): HTMLOptionElement[] =>
  [...(empty ? [h("option", { value: "" }, empty)] : []), ...pairs.map(([v, t]) => h("option", { value: v }, t))];

export function registrationCard(c: CaseData, done: () => Promise<void>): HTMLElement | null {
  if (!mayRun("RegisterCase") || c.status !== "APPOINTMENT_SCHEDULED") return null;
  const members = (c.members ?? []).filter((m) => m.person?.id);
  const confirmed = h("input", { type: "checkbox", id: "reg-identity" });
  const profiles = members.map((m, i) => ({
    personId: Number(m.person!.id),
    languages: h("input", { id: `reg-lang-${i}`, value: "spa", placeholder: "spa, quc" }),
    education: h("select", { id: `reg-edu-${i}` }, options(Object.entries(EDUCATION_ES), "—")),
    profession: h("input", { id: `reg-prof-${i}` }),
    name: m.person!.fullName ?? m.person!.id,
  }));
  const profileRows = profiles.map((p, i) => h("fieldset", {}, h("legend", {}, p.name),
    h("label", { for: `reg-lang-${i}` }, "Idiomas (ISO 639-3, separados por comas)"), p.languages,
    h("label", { for: `reg-edu-${i}` }, "Nivel educativo"), p.education,
    h("label", { for: `reg-prof-${i}` }, "Profesión u oficio"), p.profession));
  const nm = {
    given: h("input", {}), paternal: h("input", {}), maternal: h("input", {}),
    sex: h("select", {}, options(Object.entries(SEX_ES))), birth: h("input", { type: "date" }),
    nationality: h("input", { maxlength: 2, value: "VE" }),
    relationship: h("select", {}, options(Object.entries(REL_ES).filter(([k]) => k !== "PRINCIPAL"))),
  };
  const needPerson = h("select", {}, options(members.map((m) => [m.person!.id!, m.person!.fullName ?? m.person!.id!])));
  const needCode = h("select", {}, options([...state.session!.needLabels].map(([code, label]) => [code, `${code} — ${label}`]), "Ninguna"));
  const needDetail = h("input", {});
  const form = actionForm("register-form", [
    h("label", { class: "check", for: "reg-identity" }, confirmed, " Identidad verificada con el documento original"),
    ...profileRows,
    h("fieldset", {}, h("legend", {}, "Agregar un familiar (opcional)"),
      ...field("nm-given", "Nombres", nm.given), ...field("nm-paternal", "Apellido paterno", nm.paternal),
      ...field("nm-maternal", "Apellido materno", nm.maternal), ...field("nm-sex", "Sexo", nm.sex),
      ...field("nm-birth", "Fecha de nacimiento", nm.birth), ...field("nm-nationality", "Nacionalidad (ISO)", nm.nationality),
      ...field("nm-relationship", "Parentesco", nm.relationship)),
    h("fieldset", {}, h("legend", {}, "Necesidad específica (opcional)"),
      ...field("need-person", "Persona", needPerson), ...field("need-code", "Código ACNUR", needCode),
      ...field("need-detail", "Detalle", needDetail)),
  ], "Registrar expediente", async () => {
    if (!confirmed.checked) return "Confirme que verificó la identidad con el documento original.";
    const newMembers: NewMemberData[] = nm.given.value.trim() ? [{
      givenNames: nm.given.value.trim(), paternalSurname: nm.paternal.value.trim(), maternalSurname: nm.maternal.value.trim() || null,
      sex: nm.sex.value as Sex, birthDate: nm.birth.value, nationality: nm.nationality.value.trim().toUpperCase(),
      relationship: nm.relationship.value as Relationship }] : [];
    const needs: NeedData[] = needCode.value ? [{ personId: Number(needPerson.value), code: needCode.value, detail: needDetail.value.trim() || null }] : [];
    return run("RegisterCase", { input: { caseNumber: c.number!, identityConfirmed: true, newMembers, needs,
      profiles: profiles.map((p) => ({ personId: p.personId, profession: p.profession.value.trim() || null,
        educationLevel: (p.education.value || null) as EducationLevel | null,
        languages: p.languages.value.split(",").map((l) => l.trim().toLowerCase()).filter(Boolean) })) } });
  }, done);
  return card("Registro del expediente", "s-registro", h("p", { class: "hint" },
    "Antes de registrar: datos biométricos de la persona solicitante principal enrolados y ningún posible duplicado pendiente."), form);
}

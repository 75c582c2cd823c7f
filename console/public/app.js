// Built by console/tools/build.mjs from console/src: do not edit.

// src/generated/operations.ts
var OPERATIONS = {
  AccessLog: {
    name: "AccessLog",
    text: "query AccessLog($first: Int!, $beforeId: ID, $agency: String) {\n  accessLog(first: $first, beforeId: $beforeId, agency: $agency) {\n    id\n    at\n    agency\n    role\n    subject\n    purpose\n    operation\n    action\n    categories\n    personIds\n  }\n}",
    hash: "d602a6c6f0163c89860de8ddf253bb28850d08e468ed6da393a9517180f3e6e1",
    roles: ["cepr-supervisor", "cepr-secretary"]
  },
  AddCaseNote: {
    name: "AddCaseNote",
    text: "mutation AddCaseNote($n: Int!, $text: String!) {\n  addCaseNote(caseNumber: $n, text: $text) {\n    id\n    text\n    author\n    createdAt\n  }\n}",
    hash: "0e31afe05d16589879441b63d244e27588fe4993d8970340584bb74d9724777b",
    roles: ["cepr-eligibility"]
  },
  AssignCase: {
    name: "AssignCase",
    text: "mutation AssignCase($n: Int!, $officer: String!, $reason: String!) {\n  assignCase(caseNumber: $n, officer: $officer, reason: $reason) {\n    caseNumber\n    officerId\n    reason\n  }\n}",
    hash: "f8c6079770c4b3199496219297481fd19b1bd9e6a9d177706025bd2f207f37eb",
    roles: ["cepr-supervisor"]
  },
  AssignCases: {
    name: "AssignCases",
    text: "mutation AssignCases($office: String!, $limit: Int!) {\n  assignCases(officeCode: $office, limit: $limit) {\n    ruleVersion\n    assigned {\n      caseNumber\n      officerId\n    }\n    unassigned\n    notAssigned {\n      caseNumber\n      code\n      reason\n    }\n  }\n}",
    hash: "7e0896fbee2e2552d091c392e2aeef60fcc64bef307951b21d9b4daba2d1ce20",
    roles: ["cepr-supervisor"]
  },
  AwaitingDecision: {
    name: "AwaitingDecision",
    text: "query AwaitingDecision($first: Int!) {\n  cases(first: $first, filter: {statuses: [UNDER_REVIEW, APPEAL]}) {\n    edges {\n      node {\n        number\n        filingDate\n        status\n        principal {\n          fullName\n        }\n        office {\n          code\n        }\n        claim {\n          assessments {\n            recommendation\n            assessor\n            recordedAt\n          }\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n    }\n  }\n}",
    hash: "9e4de8e2d8802ab0fdd7b9994a0776d0e065d44cd5edd64aae4d09e56cecd674",
    roles: ["cepr-secretary"]
  },
  BookAppointment: {
    name: "BookAppointment",
    text: "mutation BookAppointment($n: Int!, $slot: Int!) {\n  bookAppointment(caseNumber: $n, slotId: $slot) {\n    appointmentId\n  }\n}",
    hash: "4e83bce160eb5f579e44a520e6ca554a22214e49b8665a08675bdc55535ef4ea",
    roles: ["cepr-registrar", "cepr-supervisor"]
  },
  CancelAppointment: {
    name: "CancelAppointment",
    text: "mutation CancelAppointment($id: Int!) {\n  cancelAppointment(appointmentId: $id)\n}",
    hash: "d20b37f4c445ee7a50f291be81a75dd02989bc115dfe2c9434a40195f5ee1d73",
    roles: ["cepr-registrar", "cepr-supervisor"]
  },
  CaseClaim: {
    name: "CaseClaim",
    text: "query CaseClaim($n: Int!) {\n  case(number: $n) {\n    number\n    claim {\n      interviews {\n        mode\n        heldAt\n        language\n        interpreter\n        summary\n        interviewer\n        recordedAt\n      }\n      assessments {\n        grounds\n        credibility\n        analysis\n        recommendation\n        assessor\n        recordedAt\n      }\n      decisions {\n        instance\n        outcome\n        reasons\n        decidedBy\n        decidedAt\n      }\n      appeals {\n        grounds\n        filedBy\n        filedAt\n      }\n    }\n  }\n}",
    hash: "3e460bf7e5767d828664d7887d6dd808b5e0db795cf4906da43e1bf13e7d0c8c",
    roles: ["cepr-supervisor", "cepr-eligibility", "cepr-secretary"]
  },
  CaseContact: {
    name: "CaseContact",
    text: "query CaseContact($n: Int!) {\n  case(number: $n) {\n    number\n    principal {\n      id\n      phone\n      email\n      languages\n    }\n  }\n}",
    hash: "7a03fd0f649c3a50a222737cc4053ec363aefe9de8e955c32b010d6814f31d6f",
    roles: ["cepr-registrar", "cepr-supervisor", "cepr-eligibility"]
  },
  CaseDetail: {
    name: "CaseDetail",
    text: "query CaseDetail($n: Int!) {\n  case(number: $n) {\n    number\n    filingDate\n    status\n    priorityScore\n    protectedFromRemoval\n    office {\n      code\n      name\n    }\n    assignedOfficer {\n      username\n      fullName\n      officeCode\n    }\n    principal {\n      id\n      fullName\n      sex\n      birthDate\n      nationality\n      entryDate\n      documents {\n        type\n        number\n        issuingCountry\n      }\n    }\n    members {\n      relationship\n      person {\n        id\n        fullName\n        sex\n        birthDate\n        nationality\n        documents {\n          type\n          number\n          issuingCountry\n        }\n      }\n    }\n    needs {\n      code\n      category\n      label\n      detail\n      personId\n    }\n    history {\n      fromStatus\n      toStatus\n      actor\n      at\n    }\n    appointments {\n      id\n      officeCode\n      startsAt\n      mode\n      purpose\n      status\n      videoLink\n    }\n  }\n}",
    hash: "5d7faf9e24bc9a54a2884f39fd23cad2ca8532a9f56ebe73172579a74f62fe7f",
    roles: ["cepr-registrar", "cepr-supervisor", "cepr-eligibility", "cepr-secretary"]
  },
  CaseDocuments: {
    name: "CaseDocuments",
    text: "query CaseDocuments($n: Int!) {\n  case(number: $n) {\n    issuedDocuments {\n      kind\n      id\n      number\n      status\n      validFrom\n      validTo\n      issuedAt\n      issuedBy\n      revokedReason\n      revokedAt\n    }\n  }\n}",
    hash: "4eee66645113cf2e35d7d8ee262f89f3f8e3a7ef4cb2197aeb57629775157258",
    roles: ["cepr-supervisor", "cepr-secretary"]
  },
  CaseHistoryReasons: {
    name: "CaseHistoryReasons",
    text: "query CaseHistoryReasons($n: Int!) {\n  case(number: $n) {\n    number\n    history {\n      reason\n    }\n  }\n}",
    hash: "add63d1211605f04234fbe77ce9980c0a3c4066e5079c08d2e5c24bfd60273f7",
    roles: ["cepr-supervisor", "cepr-eligibility", "cepr-secretary"]
  },
  CaseList: {
    name: "CaseList",
    text: "query CaseList($first: Int!, $after: String, $filter: CaseFilter) {\n  cases(first: $first, after: $after, filter: $filter) {\n    edges {\n      cursor\n      node {\n        number\n        filingDate\n        status\n        priorityScore\n        principal {\n          fullName\n          nationality\n        }\n        office {\n          code\n          name\n        }\n        assignedOfficer {\n          username\n          fullName\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}",
    hash: "0f65479bbcdef5120e8cf7b6553b5532bc4afbd98cc07b620f2ef90674885cb0",
    roles: ["cepr-registrar", "cepr-supervisor", "cepr-eligibility", "cepr-secretary"]
  },
  CaseNotes: {
    name: "CaseNotes",
    text: "query CaseNotes($n: Int!) {\n  case(number: $n) {\n    notes {\n      id\n      text\n      author\n      createdAt\n    }\n  }\n}",
    hash: "913008e170816cec9b819f2f4aac0c98b96d5b60fb96c036851517fbf7e81fe0",
    roles: ["cepr-supervisor", "cepr-eligibility", "cepr-secretary"]
  },
  ChangeStatus: {
    name: "ChangeStatus",
    text: "mutation ChangeStatus($n: Int!, $to: CaseStatus!, $reason: String!) {\n  changeCaseStatus(caseNumber: $n, to: $to, reason: $reason) {\n    caseNumber\n    fromStatus\n    toStatus\n  }\n}",
    hash: "6aa6202669db2ad461cde1b54600570166ad5d5389455126cd1eb240f365c9f7",
    roles: ["cepr-registrar", "cepr-supervisor"]
  },
  CreateSlot: {
    name: "CreateSlot",
    text: "mutation CreateSlot($office: String!, $startsAt: DateTime!, $mode: AppointmentMode!, $purpose: AppointmentPurpose!, $capacity: Int!, $minutes: Int!) {\n  createAppointmentSlot(\n    officeCode: $office\n    startsAt: $startsAt\n    mode: $mode\n    purpose: $purpose\n    capacity: $capacity\n    minutes: $minutes\n  ) {\n    id\n    startsAt\n    capacity\n  }\n}",
    hash: "806dd294e0863d8b307e1c05d1845edb673ea3ad3a6c21f5368b66c98d58e336",
    roles: ["cepr-registrar", "cepr-supervisor"]
  },
  Dashboard: {
    name: "Dashboard",
    text: "query Dashboard($office: [String!], $first: Int!) {\n  preRegistered: cases(\n    first: $first\n    filter: {statuses: [PRE_REGISTERED], officeCodes: $office}\n  ) {\n    ...Counted\n  }\n  appointmentScheduled: cases(\n    first: $first\n    filter: {statuses: [APPOINTMENT_SCHEDULED], officeCodes: $office}\n  ) {\n    ...Counted\n  }\n  registered: cases(\n    first: $first\n    filter: {statuses: [REGISTERED], officeCodes: $office}\n  ) {\n    ...Counted\n  }\n  underReview: cases(\n    first: $first\n    filter: {statuses: [UNDER_REVIEW], officeCodes: $office}\n  ) {\n    ...Counted\n  }\n  rejected: cases(\n    first: $first\n    filter: {statuses: [REJECTED], officeCodes: $office}\n  ) {\n    ...Counted\n  }\n  appeal: cases(first: $first, filter: {statuses: [APPEAL], officeCodes: $office}) {\n    ...Counted\n  }\n}\n\nfragment Counted on CaseConnection {\n  edges {\n    node {\n      number\n      filingDate\n    }\n  }\n  pageInfo {\n    hasNextPage\n  }\n}",
    hash: "dd1cdbae5d72628df9414ecd313b5ab677cd5320bc05ecae0850451478caa5d7",
    roles: ["cepr-registrar", "cepr-supervisor", "cepr-eligibility", "cepr-secretary"]
  },
  DecideCase: {
    name: "DecideCase",
    text: "mutation DecideCase($n: Int!, $outcome: DecisionOutcome!, $reasons: String!) {\n  decideCase(caseNumber: $n, outcome: $outcome, reasons: $reasons) {\n    id\n    caseNumber\n    at\n  }\n}",
    hash: "b8df591c6d023aa58ecc3cd76e0f1294a30294e5821336c1a944a45cb295cfe5",
    roles: ["cepr-secretary"]
  },
  DocumentPdf: {
    name: "DocumentPdf",
    text: "query DocumentPdf($n: Int!) {\n  case(number: $n) {\n    issuedDocuments {\n      kind\n      id\n      pdfBase64\n    }\n  }\n}",
    hash: "081f602a242d5381dcea6deeee90e11a5dd71784ae95d54cfc819f2ce22dcd31",
    roles: ["cepr-supervisor", "cepr-secretary"]
  },
  Duplicates: {
    name: "Duplicates",
    text: "query Duplicates($status: DuplicateStatus, $first: Int!) {\n  possibleDuplicates(status: $status, first: $first) {\n    id\n    score\n    status\n    raisedBy\n    raisedAt\n    resolvedBy\n    resolutionNote\n    undoneBy\n    undoneAt\n    undoNote\n    photo\n    person {\n      ...Compared\n    }\n    matchedPerson {\n      ...Compared\n    }\n  }\n}\n\nfragment Compared on Person {\n  id\n  fullName\n  sex\n  birthDate\n  nationality\n  photo\n  documents {\n    type\n    number\n    issuingCountry\n  }\n  cases {\n    relationship\n    case {\n      number\n      status\n      office {\n        code\n      }\n    }\n  }\n}",
    hash: "0d23755a8aef9236cf6ddaa2d52eb6177eaf99e53629129e9ccbd41ab3595d2b",
    roles: ["cepr-registrar", "cepr-supervisor"]
  },
  EligibilityOfficers: {
    name: "EligibilityOfficers",
    text: "query EligibilityOfficers($office: String!) {\n  eligibilityOfficers(officeCode: $office) {\n    username\n    fullName\n    profiles\n    capacity\n    load\n    available\n  }\n}",
    hash: "72c8dfe47ba06f097a6868ee1c235e8ad3325eae7e6c979728313a17e4a0008e",
    roles: ["cepr-supervisor"]
  },
  EnrolBiometrics: {
    name: "EnrolBiometrics",
    text: "mutation EnrolBiometrics($person: Int!, $template: String!, $photo: String) {\n  enrolBiometrics(personId: $person, template: $template, photo: $photo) {\n    outcome\n    personId\n    duplicateId\n    score\n  }\n}",
    hash: "fdd29739f26b2c8b059ecf0cfa18277f9bc4b8aec357a7ff106a924d68b3d5eb",
    roles: ["cepr-registrar"]
  },
  IssueAsylumCard: {
    name: "IssueAsylumCard",
    text: "mutation IssueAsylumCard($n: Int!) {\n  issueAsylumCard(caseNumber: $n) {\n    id\n    number\n    caseNumber\n    verificationUrl\n    sha256\n    pdfBase64\n  }\n}",
    hash: "edce7968b84bd0319dc067d43b28f25a1e5251de64dee6a7360a9da9680dcea3",
    roles: ["cepr-secretary"]
  },
  IssueWorkPermit: {
    name: "IssueWorkPermit",
    text: "mutation IssueWorkPermit($n: Int!) {\n  issueWorkPermit(caseNumber: $n) {\n    id\n    caseNumber\n    validFrom\n    validTo\n    verificationUrl\n    sha256\n    pdfBase64\n  }\n}",
    hash: "b444489de9f03e50b4f7e668fa029b40b36cccfbd12609b282553515a0ed171a",
    roles: ["cepr-secretary"]
  },
  OverridePriority: {
    name: "OverridePriority",
    text: "mutation OverridePriority($n: Int!, $score: Float, $reason: String!) {\n  overridePriority(caseNumber: $n, score: $score, reason: $reason) {\n    score\n    computedScore\n    reasons {\n      rule\n      points\n      explanation\n    }\n  }\n}",
    hash: "d39c4111012328818dfdcba27f57ae66632ca3b8856c8f68594f060b80bd3e02",
    roles: ["cepr-supervisor"]
  },
  Queue: {
    name: "Queue",
    text: "query Queue($limit: Int!) {\n  officerQueue(limit: $limit) {\n    caseNumber\n    officeCode\n    filingDate\n    score\n    computedScore\n    ruleVersion\n    reasons {\n      rule\n      points\n      explanation\n    }\n    overrideReason\n    overrideBy\n  }\n}",
    hash: "739beddcae388f882dbd5ba398efe818bdc91e133697a36206d94089274bef74",
    roles: ["cepr-registrar", "cepr-supervisor", "cepr-eligibility"]
  },
  RecordAssessment: {
    name: "RecordAssessment",
    text: "mutation RecordAssessment($n: Int!, $grounds: [ClaimGround!]!, $credibility: String!, $analysis: String!, $recommendation: Recommendation!) {\n  recordAssessment(\n    caseNumber: $n\n    grounds: $grounds\n    credibility: $credibility\n    analysis: $analysis\n    recommendation: $recommendation\n  ) {\n    id\n    caseNumber\n    at\n  }\n}",
    hash: "17e37eb1ecb6770860a3656f25b8529fc309f0a4b7e6cfafb551a68a17cf2529",
    roles: ["cepr-eligibility"]
  },
  RecordInterview: {
    name: "RecordInterview",
    text: "mutation RecordInterview($n: Int!, $mode: AppointmentMode!, $heldAt: DateTime!, $summary: String!, $language: String!, $interpreter: Boolean!) {\n  recordInterview(\n    caseNumber: $n\n    mode: $mode\n    heldAt: $heldAt\n    summary: $summary\n    language: $language\n    interpreter: $interpreter\n  ) {\n    id\n    caseNumber\n    at\n  }\n}",
    hash: "83de11121db7bcdd80883071975fde7232bfff64728be47cfe4828c5b5eabf9d",
    roles: ["cepr-eligibility"]
  },
  RegisterCase: {
    name: "RegisterCase",
    text: "mutation RegisterCase($input: RegistrationInput!) {\n  registerCase(input: $input) {\n    caseNumber\n    status\n    memberIds\n  }\n}",
    hash: "816aeed0324f18c728b36175ed150e786db29b375f5be1b14cc8d5a331dfbb94",
    roles: ["cepr-registrar"]
  },
  RescheduleAppointment: {
    name: "RescheduleAppointment",
    text: "mutation RescheduleAppointment($id: Int!, $slot: Int!) {\n  rescheduleAppointment(appointmentId: $id, slotId: $slot) {\n    appointmentId\n    startsAt\n  }\n}",
    hash: "822f7241784a94f9696927732cef3c53b75a6fccd624074e6b7a94bb186e1fd7",
    roles: ["cepr-registrar", "cepr-supervisor"]
  },
  ResolveDuplicate: {
    name: "ResolveDuplicate",
    text: "mutation ResolveDuplicate($id: Int!, $decision: DuplicateDecision!, $note: String!) {\n  resolvePossibleDuplicate(id: $id, decision: $decision, note: $note) {\n    id\n    status\n    resolvedBy\n  }\n}",
    hash: "6e85251adc0c04c35c8eae14831e42f3050824666f82076cef805eef18edf596",
    roles: ["cepr-supervisor"]
  },
  RevokeAsylumCard: {
    name: "RevokeAsylumCard",
    text: "mutation RevokeAsylumCard($id: ID!, $reason: String!) {\n  revokeAsylumCard(id: $id, reason: $reason)\n}",
    hash: "04fcdd3b85e5a71756e65e9e5a005a572f0bba0eac78df4e52626e083d6aab33",
    roles: ["cepr-secretary"]
  },
  RevokeWorkPermit: {
    name: "RevokeWorkPermit",
    text: "mutation RevokeWorkPermit($id: ID!, $reason: String!) {\n  revokeWorkPermit(id: $id, reason: $reason)\n}",
    hash: "7213c35758c13166fcbd6dca8d35482699afd5bb02eee12528a42abb26e8254e",
    roles: ["cepr-secretary"]
  },
  SearchCases: {
    name: "SearchCases",
    text: "query SearchCases($text: String!, $first: Int!) {\n  searchCases(text: $text, first: $first) {\n    number\n    filingDate\n    status\n    principal {\n      fullName\n      nationality\n    }\n    office {\n      code\n    }\n  }\n}",
    hash: "e50316eb818eb56adae2cfa882dffce3dd85ca9de8fcd9d2af83a8683dd11361",
    roles: ["cepr-registrar", "cepr-supervisor", "cepr-eligibility", "cepr-secretary"]
  },
  Session: {
    name: "Session",
    text: "query Session {\n  whoami {\n    role\n    agency\n    officeCode\n    purpose\n  }\n  explainAccess {\n    typeName\n    fieldName\n    allowed\n    condition\n  }\n  specificNeedCodes {\n    code\n    category\n    labelEs\n  }\n  offices {\n    code\n    name\n  }\n}",
    hash: "d0e3206d981b8da6151a7655371d84a6a834ccd38eb0719148c47882cb401331",
    roles: ["cepr-registrar", "cepr-supervisor", "cepr-eligibility", "cepr-secretary"]
  },
  Slots: {
    name: "Slots",
    text: "query Slots($office: String!, $purpose: AppointmentPurpose) {\n  appointmentSlots(officeCode: $office, purpose: $purpose) {\n    id\n    officeCode\n    startsAt\n    minutes\n    mode\n    purpose\n    capacity\n    booked\n  }\n}",
    hash: "e01a1725cf1b14ceeefde6894d9e04fc3eeb050007363216a2a4db0d4166f21a",
    roles: ["cepr-registrar", "cepr-supervisor", "cepr-eligibility", "cepr-secretary"]
  },
  UndoDuplicate: {
    name: "UndoDuplicate",
    text: "mutation UndoDuplicate($id: Int!, $note: String!) {\n  undoDuplicateDecision(id: $id, note: $note) {\n    id\n    status\n    undoneBy\n    undoNote\n  }\n}",
    hash: "a227ba454a1858ba1ca2fe3a1c39349a8875d53e052f932d4701852b6defc816",
    roles: ["cepr-supervisor"]
  }
};

// src/api.ts
var ApiError = class extends Error {
  constructor(errors) {
    super(errors.map((e) => e.message).join("; "));
    this.errors = errors;
  }
  errors;
};
var PURPOSE = "case-management";
var SESSION_CODES = ["UNAUTHENTICATED", "TOKEN_EXPIRED", "INVALID_TOKEN"];
var api = {
  token: null,
  role: null,
  onSessionLost: (_errors) => {
  }
};
function mayRun(name) {
  return api.role != null && OPERATIONS[name].roles.includes(api.role);
}
async function post(body) {
  let response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        Authorization: `Bearer ${api.token}`,
        "X-Purpose": PURPOSE
      },
      body: JSON.stringify(body)
    });
  } catch {
    throw new ApiError([{ message: "No se pudo contactar con el hub.", extensions: { code: "NETWORK_ERROR" } }]);
  }
  try {
    return await response.json();
  } catch {
    throw new ApiError([{ message: `Respuesta no v\xE1lida del hub (HTTP ${response.status}).`, extensions: { code: "BAD_RESPONSE" } }]);
  }
}
async function run(name, variables) {
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
    throw new ApiError([{ message: "Respuesta vac\xEDa del hub.", extensions: { code: "BAD_RESPONSE" } }]);
  }
  return { data: body.data ?? null, errors };
}
var asErrors = (e) => e instanceof ApiError ? e.errors : [{ message: String(e?.message ?? e), extensions: { code: "ERROR" } }];
function forbidden(errors) {
  const paths = /* @__PURE__ */ new Set();
  const conditions = /* @__PURE__ */ new Set();
  for (const e of errors) {
    if (e.extensions?.code !== "FORBIDDEN") continue;
    const path = e.path;
    if (path) paths.add(path.join("."));
    if (typeof e.extensions.condition === "string") conditions.add(e.extensions.condition);
  }
  return { paths, conditions };
}

// src/labels.ts
var STATUS_ES = {
  PRE_REGISTERED: "Prerregistrado",
  APPOINTMENT_SCHEDULED: "Cita programada",
  REGISTERED: "Registrado",
  UNDER_REVIEW: "En evaluaci\xF3n",
  RECOGNISED: "Reconocido",
  REJECTED: "Denegado",
  APPEAL: "En apelaci\xF3n",
  REJECTED_FINAL: "Denegado (firme)",
  WITHDRAWN: "Desistido",
  CLOSED: "Cerrado",
  ABANDONED: "Abandonado"
};
var REL_ES = {
  PRINCIPAL: "Solicitante principal",
  SPOUSE: "C\xF3nyuge",
  CHILD: "Hijo/a",
  PARENT: "Padre/madre",
  SIBLING: "Hermano/a",
  OTHER: "Otro"
};
var SEX_ES = { FEMALE: "Femenino", MALE: "Masculino", OTHER: "Otro" };
var DOC_ES = { PASSPORT: "Pasaporte", NATIONAL_ID: "Documento nacional", OTHER: "Otro" };
var MODE_ES = { IN_PERSON: "Presencial", REMOTE: "Remota" };
var APPT_PURPOSE_ES = {
  REGISTRATION_INTERVIEW: "Entrevista de registro",
  BIOMETRIC_ENROLMENT: "Registro biom\xE9trico",
  CARD_PICKUP: "Entrega de carn\xE9",
  ELIGIBILITY_INTERVIEW: "Entrevista de elegibilidad"
};
var APPT_STATUS_ES = {
  BOOKED: "Reservada",
  CANCELLED: "Cancelada",
  ATTENDED: "Asisti\xF3",
  MISSED: "No asisti\xF3"
};
var ROLE_ES = {
  "cepr-supervisor": "Supervisi\xF3n CEPR",
  "cepr-registrar": "Registro CEPR",
  "cepr-eligibility": "Elegibilidad CEPR",
  "cepr-secretary": "Secretar\xEDa Ejecutiva"
};
var GROUND_ES = {
  RACE: "Raza",
  RELIGION: "Religi\xF3n",
  NATIONALITY: "Nacionalidad",
  SOCIAL_GROUP: "Pertenencia a un grupo social",
  POLITICAL_OPINION: "Opini\xF3n pol\xEDtica",
  CARTAGENA: "Declaraci\xF3n de Cartagena"
};
var ENROL_ES = {
  ENROLLED: "Datos biom\xE9tricos registrados.",
  ALREADY_ENROLLED: "La persona ya ten\xEDa datos biom\xE9tricos registrados.",
  POSSIBLE_DUPLICATE: "Coincide con una persona ya enrolada: queda un posible duplicado para supervisi\xF3n."
};
var CODE_ES = {
  FORBIDDEN: "Su rol no tiene permiso para esto.",
  NOT_FOUND: "No se encontr\xF3.",
  CONFLICT: "La operaci\xF3n choca con el estado actual.",
  VALIDATION_FAILED: "Revise los datos del formulario.",
  UNAUTHENTICATED: "Su sesi\xF3n no es v\xE1lida: vuelva a iniciar sesi\xF3n.",
  TOKEN_EXPIRED: "Su sesi\xF3n venci\xF3: vuelva a iniciar sesi\xF3n.",
  INVALID_TOKEN: "El token no es v\xE1lido.",
  NETWORK_ERROR: "No se pudo contactar con el hub.",
  BAD_RESPONSE: "Respuesta no v\xE1lida del hub.",
  NOT_ALLOWED_FOR_ROLE: "Su rol no puede hacer esta operaci\xF3n."
};
var OAUTH_ES = {
  invalid_grant: "Usuario o contrase\xF1a incorrectos.",
  invalid_client: "Esta aplicaci\xF3n no est\xE1 autorizada para iniciar sesi\xF3n.",
  invalid_request: "Faltan datos para iniciar sesi\xF3n.",
  unsupported_grant_type: "El hub no admite este modo de inicio de sesi\xF3n.",
  unauthorized_client: "Esta aplicaci\xF3n no est\xE1 autorizada para iniciar sesi\xF3n.",
  invalid_scope: "El permiso pedido no es v\xE1lido.",
  temporarily_unavailable: "El hub no puede atender ahora; int\xE9ntelo de nuevo en un momento.",
  slow_down: "Demasiados intentos: espere un momento."
};

// src/dom.ts
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = String(v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, children);
  return el;
}
function append(el, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}
function $(selector, root = document) {
  const el = root.querySelector(selector);
  if (!el) throw new Error(`missing ${selector}`);
  return el;
}
var TZ = "America/Lima";
var dateFmt = new Intl.DateTimeFormat("es-PE", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
var dateTimeFmt = new Intl.DateTimeFormat("es-PE", { dateStyle: "medium", timeStyle: "short", timeZone: TZ });
var timeFmt = new Intl.DateTimeFormat("es-PE", { timeStyle: "short", timeZone: TZ });
var dayKeyFmt = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone: TZ });
var regionNames = (() => {
  try {
    return new Intl.DisplayNames(["es-PE"], { type: "region" });
  } catch {
    return null;
  }
})();
var fmtDate = (d) => {
  if (!d) return "\u2014";
  const t = Date.parse(d.length === 10 ? `${d}T00:00:00Z` : d);
  return Number.isNaN(t) ? d : dateFmt.format(new Date(t));
};
var fmtDateTime = (d) => {
  if (!d) return "\u2014";
  const t = Date.parse(d);
  return Number.isNaN(t) ? d : dateTimeFmt.format(new Date(t));
};
var fmtTime = (d) => timeFmt.format(new Date(Date.parse(d)));
var limaDay = (d) => dayKeyFmt.format(typeof d === "string" ? new Date(Date.parse(d)) : d);
var daysSince = (date) => {
  const today = Date.parse(`${limaDay(/* @__PURE__ */ new Date())}T00:00:00Z`);
  return Math.max(0, Math.round((today - Date.parse(`${date.slice(0, 10)}T00:00:00Z`)) / 864e5));
};
var fmtCountry = (c) => {
  if (!c) return "\u2014";
  let n;
  try {
    n = regionNames?.of(c);
  } catch {
    n = void 0;
  }
  return n && n !== c ? `${n} (${c})` : c;
};
var fmtScore = (s) => s == null ? "\u2014" : Number(s).toLocaleString("es-PE", { maximumFractionDigits: 1 });
var plural = (n, one, many) => `${n.toLocaleString("es-PE")} ${n === 1 ? one : many}`;
var looksEnglish = (m) => Boolean(m) && !/[áéíóúñ¿¡]/i.test(m) && /\b(the|is|not|of|must|Cannot|Invalid|Unknown|Variable|Expected|got)\b/.test(m);
function showErrors(box, errors) {
  box.className = "error";
  box.setAttribute("role", "alert");
  if (!errors.length) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  box.hidden = false;
  box.replaceChildren(...errors.map((e) => {
    const code = e.extensions?.code || "ERROR";
    const spanish = looksEnglish(e.message) ? `${CODE_ES[code] ?? "Error del hub."} (${e.message})` : e.message || CODE_ES[code] || "Error.";
    const p = h("p", {}, h("code", {}, code), ` \u2014 ${spanish}`);
    const problems = e.extensions?.problems;
    if (Array.isArray(problems) && problems.length) {
      p.append(h("ul", {}, problems.map((pr) => h("li", {}, `${(pr.path || []).join(".")}: ${pr.message || pr.code}`))));
    }
    return p;
  }));
}
function statusText(box, text) {
  box.className = "status";
  box.hidden = false;
  box.textContent = text;
}
function table(caption, headers, rows, attrs = () => ({})) {
  return h("div", { class: "table-wrap", tabindex: 0, role: "region", "aria-label": `Tabla: ${caption}` }, h(
    "table",
    {},
    h("caption", { class: "sr" }, caption),
    h("thead", {}, h("tr", {}, headers.map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", {}, rows.map((r, i) => h("tr", attrs(i), r.map((v, j) => j === 0 ? h("th", { scope: "row" }, v) : h("td", {}, v)))))
  ));
}
function kv(pairs) {
  return h("dl", { class: "kv" }, pairs.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v ?? "\u2014")]));
}
function card(title, id, ...content) {
  return h("section", { class: "card", "aria-labelledby": id }, h("h3", { id }, title), ...content);
}
function field(id, label, control) {
  control.id = id;
  return [h("label", { for: id }, label), control];
}
function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

// src/pages/access_log.ts
var PAGE = 100;
var log = { before: null, rows: [] };
async function loadAccessLog(reset) {
  const body = $("#accesslog-body");
  const status = $("#accesslog-status");
  if (reset) {
    log.before = null;
    log.rows = [];
  }
  statusText(status, "Cargando el registro de accesos\u2026");
  try {
    const { data, errors } = await run("AccessLog", { first: PAGE, beforeId: log.before, agency: null });
    showErrors($("#accesslog-errors"), errors);
    const lines = data?.accessLog ?? [];
    log.rows.push(...lines.map((l) => ({ id: l.id, cells: [
      fmtDateTime(l.at),
      l.agency,
      ROLE_ES[l.role] ?? l.role,
      l.subject,
      l.purpose ?? "\u2014",
      l.operation ?? "\u2014",
      l.action,
      l.categories.join(", "),
      l.personIds.length ? l.personIds.join(", ") : "\u2014"
    ] })));
    log.before = lines.length ? lines[lines.length - 1].id : log.before;
    fill(
      body,
      log.rows.length ? table(
        "Registro de accesos",
        ["Fecha", "Entidad", "Rol", "Usuario", "Finalidad", "Operaci\xF3n", "Acci\xF3n", "Categor\xEDas", "Personas"],
        log.rows.map((r) => r.cells)
      ) : null,
      lines.length === PAGE ? h("button", { type: "button", class: "secondary", id: "accesslog-more", onclick: () => void loadAccessLog(false) }, "Cargar m\xE1s") : null
    );
    statusText(status, log.rows.length ? `${log.rows.length} accesos mostrados.` : "No hay accesos registrados.");
  } catch (e) {
    statusText(status, "");
    showErrors($("#accesslog-errors"), asErrors(e));
  }
}

// src/session.ts
var TOKEN_KEY = "qhub.token";
var state = { session: null };
function restoreToken() {
  api.token = sessionStorage.getItem(TOKEN_KEY);
}
function setToken(token) {
  api.token = token;
  sessionStorage.setItem(TOKEN_KEY, token);
}
function clearSession() {
  sessionStorage.removeItem(TOKEN_KEY);
  api.token = null;
  api.role = null;
  state.session = null;
}
async function loadSession() {
  const { data, errors } = await run("Session", {});
  if (!data) throw Object.assign(new Error("sin sesi\xF3n"), { errors });
  api.role = data.whoami.role;
  const session = {
    role: data.whoami.role,
    officeCode: data.whoami.officeCode,
    allowed: new Map(data.explainAccess.map((a) => [`${a.typeName}.${a.fieldName}`, a.allowed])),
    conditions: new Map(data.explainAccess.filter((a) => a.condition).map((a) => [`${a.typeName}.${a.fieldName}`, a.condition])),
    needLabels: new Map(data.specificNeedCodes.map((n) => [n.code, n.labelEs])),
    offices: data.offices
  };
  state.session = session;
  return session;
}
async function loginWithPassword(username, password) {
  const form = new URLSearchParams({ grant_type: "password", username, password, client_id: "qhub-console" });
  let response;
  try {
    response = await fetch("/oauth/token", {
      method: "POST",
      body: form,
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" }
    });
  } catch {
    throw new Error("No se pudo contactar con el hub.");
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok || !body.access_token) {
    if (response.status === 429) throw new Error("Demasiados intentos de inicio de sesi\xF3n: espere unos minutos y vuelva a intentarlo.");
    throw new Error(OAUTH_ES[body.error ?? ""] ?? `No se pudo iniciar sesi\xF3n (c\xF3digo ${body.error ?? response.status}).`);
  }
  return body.access_token;
}

// src/workflow.json
var workflow_default = {
  stages: ["PRE_REGISTERED", "APPOINTMENT_SCHEDULED", "REGISTERED", "UNDER_REVIEW", "RECOGNISED", "CLOSED"],
  transitions: [
    ["PRE_REGISTERED", "APPOINTMENT_SCHEDULED", "workflow"],
    ["APPOINTMENT_SCHEDULED", "REGISTERED", "workflow"],
    ["REGISTERED", "UNDER_REVIEW", "workflow"],
    ["UNDER_REVIEW", "RECOGNISED", "decision"],
    ["UNDER_REVIEW", "REJECTED", "decision"],
    ["REJECTED", "APPEAL", "appeal"],
    ["REJECTED", "REJECTED_FINAL", "decision"],
    ["APPEAL", "RECOGNISED", "decision"],
    ["APPEAL", "REJECTED_FINAL", "decision"],
    ["RECOGNISED", "CLOSED", "closing"],
    ["REJECTED_FINAL", "CLOSED", "closing"],
    ["PRE_REGISTERED", "WITHDRAWN", "workflow"],
    ["APPOINTMENT_SCHEDULED", "WITHDRAWN", "workflow"],
    ["REGISTERED", "WITHDRAWN", "workflow"],
    ["UNDER_REVIEW", "WITHDRAWN", "workflow"],
    ["APPEAL", "WITHDRAWN", "workflow"],
    ["PRE_REGISTERED", "ABANDONED", "workflow"],
    ["APPOINTMENT_SCHEDULED", "ABANDONED", "workflow"],
    ["REGISTERED", "ABANDONED", "workflow"]
  ],
  groups: {
    workflow: ["cepr-registrar", "cepr-supervisor"],
    decision: ["cepr-secretary"],
    appeal: ["cepr-registrar", "cepr-supervisor"],
    closing: ["cepr-supervisor"]
  }
};

// src/workflow.ts
var WHO_ES = {
  workflow: "Registro o supervisi\xF3n",
  decision: "Secretar\xEDa Ejecutiva, con su decisi\xF3n",
  appeal: "Registro o supervisi\xF3n, con la apelaci\xF3n",
  closing: "Supervisi\xF3n"
};
var OWN_FORM = ["decision", "appeal"];
var STAGES = workflow_default.stages;
function nextMoves(from) {
  return workflow_default.transitions.filter(([f]) => f === from).map(([, to, group]) => ({
    to,
    label: STATUS_ES[to],
    who: WHO_ES[group],
    roles: workflow_default.groups[group],
    generic: !OWN_FORM.includes(group)
  }));
}
function movesFor(from, role) {
  return nextMoves(from).filter((m) => m.generic && m.roles.includes(role));
}

// src/pages/registration.ts
var EDUCATION_ES = {
  NONE: "Sin estudios",
  PRIMARY: "Primaria",
  SECONDARY: "Secundaria",
  TECHNICAL: "T\xE9cnica",
  UNIVERSITY: "Universitaria",
  POSTGRADUATE: "Posgrado"
};
var options = (pairs, empty) => [...empty ? [h("option", { value: "" }, empty)] : [], ...pairs.map(([v, t]) => h("option", { value: v }, t))];
function registrationCard(c, done) {
  if (!mayRun("RegisterCase") || c.status !== "APPOINTMENT_SCHEDULED") return null;
  const members = (c.members ?? []).filter((m) => m.person?.id);
  const confirmed = h("input", { type: "checkbox", id: "reg-identity" });
  const profiles = members.map((m, i) => ({
    personId: Number(m.person.id),
    languages: h("input", { id: `reg-lang-${i}`, value: "spa", placeholder: "spa, quc" }),
    education: h("select", { id: `reg-edu-${i}` }, options(Object.entries(EDUCATION_ES), "\u2014")),
    profession: h("input", { id: `reg-prof-${i}` }),
    name: m.person.fullName ?? m.person.id
  }));
  const profileRows = profiles.map((p, i) => h(
    "fieldset",
    {},
    h("legend", {}, p.name),
    h("label", { for: `reg-lang-${i}` }, "Idiomas (ISO 639-3, separados por comas)"),
    p.languages,
    h("label", { for: `reg-edu-${i}` }, "Nivel educativo"),
    p.education,
    h("label", { for: `reg-prof-${i}` }, "Profesi\xF3n u oficio"),
    p.profession
  ));
  const nm = {
    given: h("input", {}),
    paternal: h("input", {}),
    maternal: h("input", {}),
    sex: h("select", {}, options(Object.entries(SEX_ES))),
    birth: h("input", { type: "date" }),
    nationality: h("input", { maxlength: 2, value: "VE" }),
    relationship: h("select", {}, options(Object.entries(REL_ES).filter(([k]) => k !== "PRINCIPAL")))
  };
  const needPerson = h("select", {}, options(members.map((m) => [m.person.id, m.person.fullName ?? m.person.id])));
  const needCode = h("select", {}, options([...state.session.needLabels].map(([code, label]) => [code, `${code} \u2014 ${label}`]), "Ninguna"));
  const needDetail = h("input", {});
  const form = actionForm("register-form", [
    h("label", { class: "check", for: "reg-identity" }, confirmed, " Identidad verificada con el documento original"),
    ...profileRows,
    h(
      "fieldset",
      {},
      h("legend", {}, "Agregar un familiar (opcional)"),
      ...field("nm-given", "Nombres", nm.given),
      ...field("nm-paternal", "Apellido paterno", nm.paternal),
      ...field("nm-maternal", "Apellido materno", nm.maternal),
      ...field("nm-sex", "Sexo", nm.sex),
      ...field("nm-birth", "Fecha de nacimiento", nm.birth),
      ...field("nm-nationality", "Nacionalidad (ISO)", nm.nationality),
      ...field("nm-relationship", "Parentesco", nm.relationship)
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, "Necesidad espec\xEDfica (opcional)"),
      ...field("need-person", "Persona", needPerson),
      ...field("need-code", "C\xF3digo ACNUR", needCode),
      ...field("need-detail", "Detalle", needDetail)
    )
  ], "Registrar expediente", async () => {
    if (!confirmed.checked) return "Confirme que verific\xF3 la identidad con el documento original.";
    const newMembers = nm.given.value.trim() ? [{
      givenNames: nm.given.value.trim(),
      paternalSurname: nm.paternal.value.trim(),
      maternalSurname: nm.maternal.value.trim() || null,
      sex: nm.sex.value,
      birthDate: nm.birth.value,
      nationality: nm.nationality.value.trim().toUpperCase(),
      relationship: nm.relationship.value
    }] : [];
    const needs = needCode.value ? [{ personId: Number(needPerson.value), code: needCode.value, detail: needDetail.value.trim() || null }] : [];
    return run("RegisterCase", { input: {
      caseNumber: c.number,
      identityConfirmed: true,
      newMembers,
      needs,
      profiles: profiles.map((p) => ({
        personId: p.personId,
        profession: p.profession.value.trim() || null,
        educationLevel: p.education.value || null,
        languages: p.languages.value.split(",").map((l) => l.trim().toLowerCase()).filter(Boolean)
      }))
    } });
  }, done);
  return card("Registro del expediente", "s-registro", h(
    "p",
    { class: "hint" },
    "Antes de registrar: datos biom\xE9tricos de la persona solicitante principal enrolados y ning\xFAn posible duplicado pendiente."
  ), form);
}

// src/pages/case_actions.ts
function actionForm(id, controls, submit, send, after) {
  const out = h("div", { id: `${id}-out`, hidden: true });
  const button = h("button", { type: "submit" }, submit);
  const form = h("form", { id, novalidate: true, onsubmit: async (ev) => {
    ev.preventDefault();
    button.disabled = true;
    statusText(out, "Guardando\u2026");
    try {
      const result = await send();
      if (typeof result === "string") {
        showErrors(out, [{ message: result, extensions: { code: "VALIDATION_FAILED" } }]);
        return;
      }
      if (result.errors.length || result.data == null) {
        showErrors(out, result.errors);
        return;
      }
      statusText(out, "Hecho.");
      await after(result.data, out);
    } catch (e) {
      showErrors(out, asErrors(e));
    } finally {
      button.disabled = false;
    }
  } }, ...controls, button, out);
  return form;
}
var required = (value, message) => value.trim() ? null : message;
function statusCard(c, done) {
  const moves = movesFor(c.status, state.session.role);
  if (!mayRun("ChangeStatus") || !moves.length) return null;
  const to = h("select", {}, moves.map((m) => h("option", { value: m.to }, m.label)));
  const reason = h("textarea", { rows: 2 });
  return card("Cambiar estado", "s-accion", actionForm(
    "status-form",
    [...field("to-status", "Nuevo estado", to), ...field("to-reason", "Motivo (queda en el historial)", reason)],
    "Cambiar estado",
    async () => required(reason.value, "Indique el motivo del cambio.") ?? run(
      "ChangeStatus",
      { n: c.number, to: to.value, reason: reason.value.trim() }
    ),
    done
  ));
}
function priorityCard(c) {
  if (!mayRun("OverridePriority")) return null;
  const score = h("input", { type: "number", step: "0.1", min: "0", inputmode: "decimal" });
  const reason = h("textarea", { rows: 2 });
  return card("Ajustar prioridad", "s-prioridad", actionForm(
    "priority-form",
    [
      ...field("prio-score", "Nueva prioridad (vac\xEDo: volver a la calculada)", score),
      ...field("prio-reason", "Motivo (se muestra junto a la prioridad)", reason)
    ],
    "Ajustar prioridad",
    async () => required(reason.value, "Indique el motivo del ajuste.") ?? run(
      "OverridePriority",
      { n: c.number, score: score.value === "" ? null : Number(score.value), reason: reason.value.trim() }
    ),
    (data, out) => {
      const q = data.overridePriority;
      statusText(out, `Prioridad efectiva: ${q.score ?? "\u2014"} (calculada: ${q.computedScore ?? "\u2014"}).`);
    }
  ));
}
function appointmentsCard(c, done) {
  if (!mayRun("BookAppointment") || !c.office) return null;
  const slot = h("select", {}, h("option", { value: "" }, "Cargando horarios\u2026"));
  void run("Slots", { office: c.office.code, purpose: null }).then(({ data }) => {
    const now = Date.now();
    const free = (data?.appointmentSlots ?? []).filter((s) => s.booked < s.capacity && Date.parse(s.startsAt) > now);
    slot.replaceChildren(
      h("option", { value: "" }, free.length ? "Elija un horario" : "No hay horarios libres"),
      ...free.map((s) => h("option", { value: s.id }, `${fmtDateTime(s.startsAt)} \xB7 ${APPT_PURPOSE_ES[s.purpose]} \xB7 ${MODE_ES[s.mode]} \xB7 ${s.capacity - s.booked} libre(s)`))
    );
    slot.dispatchEvent(new Event("slots"));
  });
  const parts = [actionForm(
    "book-form",
    field("book-slot", "Horario", slot),
    "Reservar cita",
    async () => slot.value ? run("BookAppointment", { n: c.number, slot: Number(slot.value) }) : "Elija un horario.",
    done
  )];
  const booked = (c.appointments ?? []).filter((a) => a.status === "BOOKED");
  if (booked.length && mayRun("RescheduleAppointment")) {
    const which = h("select", {}, booked.map((a) => h("option", { value: a.id }, `${fmtDateTime(a.startsAt)} \xB7 ${APPT_PURPOSE_ES[a.purpose ?? ""] ?? ""}`)));
    const to = h("select", {}, [...slot.options].map((o) => o.cloneNode(true)));
    slot.addEventListener("slots", () => to.replaceChildren(...[...slot.options].map((o) => o.cloneNode(true))));
    parts.push(actionForm(
      "move-form",
      [...field("move-appt", "Cita reservada", which), ...field("move-slot", "Nuevo horario (mismo tr\xE1mite)", to)],
      "Cambiar de horario",
      async () => to.value ? run("RescheduleAppointment", { id: Number(which.value), slot: Number(to.value) }) : "Elija el nuevo horario.",
      done
    ));
  }
  if (booked.length && mayRun("CancelAppointment")) {
    const which = h("select", {}, booked.map((a) => h("option", { value: a.id }, `${fmtDateTime(a.startsAt)} \xB7 ${APPT_PURPOSE_ES[a.purpose ?? ""] ?? ""}`)));
    parts.push(actionForm(
      "cancel-form",
      field("cancel-appt", "Cita reservada", which),
      "Cancelar cita",
      async () => run("CancelAppointment", { id: Number(which.value) }),
      done
    ));
  }
  return card("Reservar o cancelar citas", "s-reservas", parts);
}
async function base64Of(f) {
  const bytes = new Uint8Array(await f.arrayBuffer());
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
function biometricsCard(c) {
  if (!mayRun("EnrolBiometrics")) return null;
  const people = (c.members ?? []).filter((m) => m.person?.id);
  if (!people.length) return null;
  const who = h("select", {}, people.map((m) => h("option", { value: m.person.id }, m.person.fullName ?? m.person.id)));
  const file = h("input", { type: "file", accept: ".tpl,.bin,application/octet-stream" });
  const photo = h("input", { type: "file", accept: "image/jpeg,image/png" });
  return card("Registro biom\xE9trico", "s-biometria", actionForm(
    "enrol-form",
    [
      ...field("enrol-person", "Persona", who),
      ...field("enrol-file", "Plantilla del lector biom\xE9trico", file),
      ...field("enrol-photo", "Fotograf\xEDa (JPEG o PNG; va al carn\xE9 y a la revisi\xF3n de duplicados)", photo)
    ],
    "Enrolar",
    async () => {
      const f = file.files?.[0];
      if (!f) return "Elija el archivo de la plantilla biom\xE9trica.";
      const picture = photo.files?.[0];
      return run("EnrolBiometrics", {
        person: Number(who.value),
        template: await base64Of(f),
        photo: picture ? await base64Of(picture) : null
      });
    },
    (data, out) => {
      const r = data.enrolBiometrics;
      statusText(out, ENROL_ES[r.outcome ?? ""] ?? r.outcome ?? "");
      if (r.duplicateId) out.append(" ", h("a", { href: "#/duplicados" }, `Ver la revisi\xF3n N.\xBA ${r.duplicateId}`));
    }
  ));
}
function eligibilityCards(c, done) {
  const cards = [];
  if (mayRun("RecordInterview")) {
    const mode = h("select", {}, Object.entries(MODE_ES).map(([k, v]) => h("option", { value: k }, v)));
    const held = h("input", { type: "datetime-local" });
    const language = h("input", { value: "spa", maxlength: 3 });
    const interpreter = h("input", { type: "checkbox" });
    const summary = h("textarea", { rows: 4 });
    cards.push(card("Registrar entrevista", "s-entrevista", actionForm(
      "interview-form",
      [
        ...field("iv-mode", "Modalidad", mode),
        ...field("iv-held", "Fecha y hora (hora de Lima)", held),
        ...field("iv-language", "Idioma (ISO 639-3)", language),
        h("label", { class: "check" }, interpreter, " Con int\xE9rprete"),
        ...field("iv-summary", "Resumen de la entrevista", summary)
      ],
      "Registrar entrevista",
      async () => (!held.value ? "Indique la fecha y hora de la entrevista." : required(summary.value, "Escriba el resumen de la entrevista.")) ?? run("RecordInterview", {
        n: c.number,
        mode: mode.value,
        heldAt: `${held.value}:00-05:00`,
        summary: summary.value.trim(),
        language: language.value.trim() || "spa",
        interpreter: interpreter.checked
      }),
      done
    )));
  }
  if (mayRun("RecordAssessment")) {
    const grounds = Object.entries(GROUND_ES).map(([k, v]) => h("label", { class: "check" }, h("input", { type: "checkbox", name: "ground", value: k }), ` ${v}`));
    const credibility = h("textarea", { rows: 2 });
    const analysis = h("textarea", { rows: 4 });
    const recommendation = h("select", {}, h("option", { value: "RECOGNISE" }, "Reconocer"), h("option", { value: "REJECT" }, "Denegar"));
    cards.push(card("Registrar evaluaci\xF3n", "s-evaluacion", actionForm(
      "assessment-form",
      [
        h("fieldset", {}, h("legend", {}, "Motivos de la solicitud"), grounds),
        ...field("as-credibility", "Credibilidad", credibility),
        ...field("as-analysis", "An\xE1lisis", analysis),
        ...field("as-recommendation", "Recomendaci\xF3n", recommendation)
      ],
      "Registrar evaluaci\xF3n",
      async () => {
        const chosen = grounds.map((g) => g.querySelector("input")).filter((i) => i.checked).map((i) => i.value);
        return (chosen.length ? null : "Marque al menos un motivo.") ?? required(credibility.value, "Escriba la valoraci\xF3n de credibilidad.") ?? required(analysis.value, "Escriba el an\xE1lisis.") ?? run("RecordAssessment", {
          n: c.number,
          grounds: chosen,
          credibility: credibility.value.trim(),
          analysis: analysis.value.trim(),
          recommendation: recommendation.value
        });
      },
      done
    )));
  }
  return cards;
}
function pdfLink(base64, name) {
  if (!base64) return null;
  const bytes = Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: "application/pdf" }));
  return h("a", { href: url, download: name, class: "download" }, `Descargar ${name}`);
}
function revokeForm(kind, id) {
  const reason = h("textarea", { rows: 2 });
  return actionForm(
    `revoke-${kind}`,
    field(`revoke-${kind}-reason`, "Motivo de la revocaci\xF3n", reason),
    kind === "permit" ? "Revocar autorizaci\xF3n" : "Revocar carn\xE9",
    async () => required(reason.value, "Indique el motivo de la revocaci\xF3n.") ?? (kind === "permit" ? run("RevokeWorkPermit", { id, reason: reason.value.trim() }) : run("RevokeAsylumCard", { id, reason: reason.value.trim() })),
    (_data, out) => statusText(out, kind === "permit" ? "Autorizaci\xF3n revocada: su QR dir\xE1 \xABrevocada\xBB." : "Carn\xE9 revocado: su QR dir\xE1 \xABrevocado\xBB.")
  );
}
function secretaryCards(c, done) {
  const cards = [];
  if (mayRun("DecideCase") && (c.status === "UNDER_REVIEW" || c.status === "APPEAL")) {
    const outcome = h("select", {}, h("option", { value: "RECOGNISED" }, STATUS_ES.RECOGNISED), h("option", { value: "REJECTED" }, STATUS_ES.REJECTED));
    const reasons = h("textarea", { rows: 4 });
    cards.push(card("Decisi\xF3n de la Secretar\xEDa Ejecutiva", "s-decision", actionForm(
      "decision-form",
      [...field("decision-outcome", "Decisi\xF3n", outcome), ...field("decision-reasons", "Fundamentos", reasons)],
      "Firmar decisi\xF3n",
      async () => required(reasons.value, "Escriba los fundamentos de la decisi\xF3n.") ?? run("DecideCase", { n: c.number, outcome: outcome.value, reasons: reasons.value.trim() }),
      done
    )));
  }
  if (mayRun("IssueWorkPermit")) {
    const area = h("div", {});
    const permit = actionForm(
      "permit-form",
      [],
      "Emitir autorizaci\xF3n de trabajo",
      async () => run("IssueWorkPermit", { n: c.number }),
      (data) => {
        const p = data.issueWorkPermit;
        if (p) fill(area, h("p", { class: "status" }, `Autorizaci\xF3n N.\xBA ${p.id} emitida.`), pdfLink(p.pdfBase64, `autorizacion-${c.number}.pdf`), revokeForm("permit", p.id));
      }
    );
    const cardForm = actionForm(
      "card-form",
      [],
      "Emitir carn\xE9 de solicitante",
      async () => run("IssueAsylumCard", { n: c.number }),
      (data) => {
        const k = data.issueAsylumCard;
        if (k) fill(area, h("p", { class: "status" }, `Carn\xE9 ${k.number ?? k.id} emitido.`), pdfLink(k.pdfBase64, `carne-${c.number}.pdf`), revokeForm("card", k.id));
      }
    );
    cards.push(card("Documentos del titular", "s-documentos", h("div", { class: "inline-form" }, permit, cardForm), area));
  }
  return cards;
}
function caseActions(c, done) {
  const cards = [
    registrationCard(c, done),
    biometricsCard(c),
    statusCard(c, done),
    priorityCard(c),
    appointmentsCard(c, done),
    ...eligibilityCards(c, done),
    ...secretaryCards(c, done)
  ].filter((x) => x != null);
  return h("div", { class: "actions" }, cards);
}

// src/pages/case_more.ts
var DOC_KIND_ES = { WORK_PERMIT: "Autorizaci\xF3n de trabajo", ASYLUM_CARD: "Carn\xE9 de solicitante" };
var DOC_STATUS_ES = { active: "Vigente", replaced: "Reemplazado", revoked: "Revocado" };
var PROFILE_ES = { general: "general", children: "ni\xF1ez" };
function assignCard(c, done) {
  if (!mayRun("AssignCase") || !c.office || !(c.status === "UNDER_REVIEW" || c.status === "APPEAL")) return null;
  const officer = h("select", {}, h("option", { value: "" }, "Cargando oficiales\u2026"));
  const reason = h("textarea", { rows: 2 });
  void run("EligibilityOfficers", { office: c.office.code }).then(({ data, errors }) => {
    const list = data?.eligibilityOfficers ?? [];
    officer.replaceChildren(
      h("option", { value: "" }, list.length ? "Elija un oficial" : "La oficina no tiene oficiales de elegibilidad"),
      ...list.map((o) => h(
        "option",
        { value: o.username ?? "", disabled: !o.available },
        `${o.fullName ?? o.username} \xB7 carga ${o.load ?? 0} de ${o.capacity ?? 0}${(o.load ?? 0) >= (o.capacity ?? 0) ? " (completa)" : ""} \xB7 perfil ${(o.profiles ?? []).filter((p) => PROFILE_ES[p]).map((p) => PROFILE_ES[p]).join(", ") || "\u2014"}${o.available ? "" : " \xB7 no disponible"}`
      ))
    );
    if (errors.length) officer.replaceChildren(h("option", { value: "" }, "No se pudieron cargar los oficiales"));
  });
  const current = c.assignedOfficer ? `Asignado ahora a ${c.assignedOfficer.fullName ?? c.assignedOfficer.username}.` : "Sin oficial asignado.";
  return card(
    c.assignedOfficer ? "Reasignar expediente" : "Asignar expediente",
    "s-asignar",
    h("p", { class: "hint" }, `${current} Mismas reglas que la asignaci\xF3n autom\xE1tica: oficial disponible de la oficina, con el perfil del expediente y carga libre.`),
    actionForm(
      "assign-case-form",
      [
        ...field("assign-officer", "Oficial de elegibilidad", officer),
        ...field("assign-reason", "Motivo (queda registrado)", reason)
      ],
      c.assignedOfficer ? "Reasignar" : "Asignar",
      async () => (officer.value ? null : "Elija un oficial.") ?? required(reason.value, "Indique el motivo de la asignaci\xF3n.") ?? run("AssignCase", { n: c.number, officer: officer.value, reason: reason.value.trim() }),
      done
    )
  );
}
function notesCard(c, notes, done) {
  if (notes == null && !mayRun("AddCaseNote")) return null;
  const list = notes?.length ? h("ol", { class: "plain notes" }, notes.map((n) => h(
    "li",
    { "data-note": n.id },
    h("p", {}, n.text ?? "\u2014"),
    h("p", { class: "hint" }, `${n.author ?? "\u2014"} \xB7 ${fmtDateTime(n.createdAt)}`)
  ))) : h("p", { class: "empty" }, "Sin notas.");
  const text = h("textarea", { rows: 3 });
  const form = mayRun("AddCaseNote") ? actionForm(
    "note-form",
    field("note-text", "Nueva nota", text),
    "Agregar nota",
    async () => required(text.value, "Escriba la nota.") ?? run("AddCaseNote", { n: c.number, text: text.value.trim() }),
    done
  ) : null;
  return card("Notas del expediente", "s-notas", h("p", { class: "hint" }, "Datos de la solicitud: cada lectura queda en el registro de accesos."), list, form);
}
async function pdfOf(c, d) {
  const { data, errors } = await run("DocumentPdf", { n: c.number });
  if (errors.length) throw Object.assign(new Error(errors[0].message), { errors });
  const pdf = data?.case?.issuedDocuments?.find((x) => x.kind === d.kind && x.id === d.id)?.pdfBase64;
  if (!pdf) return null;
  const bytes = Uint8Array.from(atob(pdf), (ch) => ch.charCodeAt(0));
  const name = `${d.kind === "WORK_PERMIT" ? "autorizacion" : "carne"}-${d.number ?? d.id}.pdf`;
  return { url: URL.createObjectURL(new Blob([bytes], { type: "application/pdf" })), name };
}
function docActions(c, d, out, done) {
  const act = (print) => async () => {
    statusText(out, "Preparando el PDF\u2026");
    try {
      const pdf = await pdfOf(c, d);
      if (!pdf) {
        showErrors(out, [{ message: "El documento no tiene PDF.", extensions: { code: "NOT_FOUND" } }]);
        return;
      }
      if (print) window.open(pdf.url, "_blank", "noopener");
      else h("a", { href: pdf.url, download: pdf.name }).click();
      statusText(out, print ? "PDF abierto en otra pesta\xF1a para imprimir." : `Descargado ${pdf.name}.`);
    } catch (e) {
      showErrors(out, e.errors ?? asErrors(e));
    }
  };
  const label = `${DOC_KIND_ES[d.kind ?? ""] ?? d.kind} ${d.number ?? d.id}`;
  const buttons = [
    h("button", { type: "button", class: "secondary", "data-download": d.id, "aria-label": `Descargar ${label}`, onclick: act(false) }, "Descargar"),
    h("button", { type: "button", class: "secondary", "aria-label": `Imprimir ${label}`, onclick: act(true) }, "Imprimir")
  ];
  const op = d.kind === "WORK_PERMIT" ? "RevokeWorkPermit" : "RevokeAsylumCard";
  if (d.status === "active" && mayRun(op)) {
    const reason = h("textarea", { rows: 2 });
    buttons.push(h(
      "details",
      {},
      h("summary", {}, `Revocar ${d.number ?? d.id}`),
      actionForm(
        `revoke-doc-${d.id}`,
        field(`revoke-doc-${d.id}-reason`, "Motivo de la revocaci\xF3n", reason),
        "Revocar",
        async () => required(reason.value, "Indique el motivo de la revocaci\xF3n.") ?? run(op, { id: d.id, reason: reason.value.trim() }),
        done
      )
    ));
  }
  return h("div", { class: "doc-actions" }, buttons);
}
function documentsListCard(c, docs, done) {
  if (docs == null) return null;
  const out = h("div", { id: "documents-out", hidden: true });
  const body = docs.length ? table(
    "Documentos emitidos",
    ["Documento", "N\xFAmero", "Estado", "Vigencia", "Emitido", "Acciones"],
    docs.map((d) => [
      DOC_KIND_ES[d.kind ?? ""] ?? d.kind ?? "\u2014",
      d.number ?? d.id ?? "\u2014",
      h("span", { class: "badge" }, `${DOC_STATUS_ES[d.status ?? ""] ?? d.status ?? "\u2014"}${d.status === "revoked" && d.revokedReason ? ` (${d.revokedReason})` : ""}`),
      d.kind === "ASYLUM_CARD" ? `Desde ${fmtDate(d.validFrom)}, sin vencimiento` : `${fmtDate(d.validFrom)} \u2013 ${fmtDate(d.validTo)}`,
      `${fmtDateTime(d.issuedAt)} \xB7 ${d.issuedBy ?? "\u2014"}`,
      docActions(c, d, out, done)
    ]),
    (i) => ({ "data-document": docs[i].id })
  ) : h("p", { class: "empty" }, "No se han emitido documentos para este expediente.");
  return card("Documentos emitidos", "s-emitidos", body, out);
}

// src/pages/bulk.ts
var selected = (root) => [...root.querySelectorAll("input.pick:checked")].map((i) => Number(i.value));
function pick(number) {
  return h("input", { type: "checkbox", class: "pick", value: number ?? "", "aria-label": `Seleccionar el expediente ${number}` });
}
async function forEachSelected(numbers, out, send, done) {
  if (!numbers.length) {
    statusText(out, "Seleccione al menos un expediente.");
    return;
  }
  statusText(out, `Procesando ${numbers.length} expediente(s)\u2026`);
  const items = [];
  for (const n of numbers) {
    try {
      const { data, errors } = await send(n);
      items.push(h("li", { "data-case": n }, `N.\xBA ${n}: `, errors.length || data == null ? h("span", { class: "refused" }, errors.map((e) => `${e.extensions?.code ?? "ERROR"} \u2014 ${e.message}`).join("; ")) : done(n, data)));
    } catch (e) {
      items.push(h("li", { "data-case": n }, `N.\xBA ${n}: `, h("span", { class: "refused" }, asErrors(e).map((x) => x.message).join("; "))));
    }
  }
  out.className = "status";
  fill(out, h("ul", { class: "plain" }, items));
}
function bulkStatusForm(reload) {
  if (!mayRun("ChangeStatus")) return null;
  const to = h("select", {}, Object.entries(STATUS_ES).map(([k, v]) => h("option", { value: k }, v)));
  const reason = h("input", { maxlength: 500 });
  const out = h("div", { id: "bulk-out", hidden: true, "aria-live": "polite" });
  return h(
    "form",
    {
      id: "bulk-form",
      class: "inline-form bulk",
      "aria-label": "Acci\xF3n sobre los seleccionados",
      novalidate: true,
      onsubmit: async (ev) => {
        ev.preventDefault();
        if (!reason.value.trim()) {
          statusText(out, "Indique el motivo del cambio.");
          return;
        }
        await forEachSelected(
          selected($("#cases")),
          out,
          (n) => run("ChangeStatus", { n, to: to.value, reason: reason.value.trim() }),
          () => `ahora ${STATUS_ES[to.value]}.`
        );
        reload();
      }
    },
    ...field("bulk-to", "Nuevo estado de los seleccionados", to),
    ...field("bulk-reason", "Motivo", reason),
    h("button", { type: "submit", class: "secondary" }, "Aplicar a los seleccionados"),
    out
  );
}

// src/pages/claim.ts
var RECOMMENDATION_ES = { RECOGNISE: "Reconocer", REJECT: "Denegar" };
function claimCard(claim) {
  if (!claim) return null;
  const parts = [];
  const interviews = claim.interviews ?? [];
  const assessments = claim.assessments ?? [];
  const decisions = claim.decisions ?? [];
  const appeals = claim.appeals ?? [];
  if (interviews.length) parts.push(h("h4", {}, "Entrevistas"), table(
    "Entrevistas",
    ["Fecha", "Modalidad", "Idioma", "Resumen", "Registr\xF3"],
    interviews.map((i) => [
      fmtDateTime(i.heldAt),
      MODE_ES[i.mode ?? ""] ?? "\u2014",
      `${i.language ?? "\u2014"}${i.interpreter ? " (con int\xE9rprete)" : ""}`,
      i.summary ?? "\u2014",
      `${i.interviewer ?? "\u2014"}, ${fmtDateTime(i.recordedAt)}`
    ])
  ));
  if (assessments.length) parts.push(h("h4", {}, "Evaluaciones"), table(
    "Evaluaciones",
    ["Recomendaci\xF3n", "Motivos", "Credibilidad", "An\xE1lisis", "Registr\xF3"],
    assessments.map((a) => [
      h("strong", {}, RECOMMENDATION_ES[a.recommendation ?? ""] ?? "\u2014"),
      (a.grounds ?? []).map((g) => GROUND_ES[g] ?? g).join(", ") || "\u2014",
      a.credibility ?? "\u2014",
      a.analysis ?? "\u2014",
      `${a.assessor ?? "\u2014"}, ${fmtDateTime(a.recordedAt)}`
    ])
  ));
  if (decisions.length) parts.push(h("h4", {}, "Decisiones"), table(
    "Decisiones",
    ["Instancia", "Decisi\xF3n", "Fundamentos", "Firm\xF3"],
    decisions.map((d) => [
      d.instance === "appeal" ? "Apelaci\xF3n" : "Primera instancia",
      d.outcome ? STATUS_ES[d.outcome] : "\u2014",
      d.reasons ?? "\u2014",
      `${d.decidedBy ?? "\u2014"}, ${fmtDateTime(d.decidedAt)}`
    ])
  ));
  if (appeals.length) parts.push(h("h4", {}, "Apelaciones"), table(
    "Apelaciones",
    ["Fundamentos", "Present\xF3"],
    appeals.map((a) => [a.grounds ?? "\u2014", `${a.filedBy ?? "\u2014"}, ${fmtDateTime(a.filedAt)}`])
  ));
  return card(
    "Solicitud: entrevistas, evaluaciones y decisiones",
    "s-solicitud",
    parts.length ? parts : h("p", { class: "empty" }, "A\xFAn no hay entrevistas, evaluaciones ni decisiones registradas.")
  );
}
async function awaitingDecisionCard() {
  if (!mayRun("AwaitingDecision")) return null;
  const { data } = await run("AwaitingDecision", { first: 50 });
  const nodes = (data?.cases.edges ?? []).map((e) => e.node).map((c) => ({ c, last: (c.claim?.assessments ?? []).at(-1) ?? null })).sort((a, b) => Number(Boolean(b.last)) - Number(Boolean(a.last)));
  return card(
    "Esperan su decisi\xF3n",
    "d-decision",
    h("p", {}, `${plural(nodes.length, "expediente", "expedientes")}${data?.cases.pageInfo.hasNextPage ? " (hay m\xE1s)" : ""}; los evaluados primero.`),
    nodes.length ? table(
      "Expedientes que esperan decisi\xF3n",
      ["Expediente", "Solicitante", "Estado", "Recomendaci\xF3n"],
      nodes.slice(0, 10).map(({ c, last }) => [
        h("span", {}, pick(c.number), " ", h("a", { href: `#/expediente/${c.number}` }, `N.\xBA ${c.number}`)),
        c.principal?.fullName ?? "\u2014",
        c.status ? STATUS_ES[c.status] : "\u2014",
        last ? `${RECOMMENDATION_ES[last.recommendation ?? ""] ?? "\u2014"} (${last.assessor ?? "\u2014"})` : "Sin evaluaci\xF3n"
      ])
    ) : null,
    nodes.length && mayRun("IssueWorkPermit") ? batchPermits() : null
  );
}
function batchPermits() {
  const out = h("div", { id: "batch-out", hidden: true, "aria-live": "polite" });
  return h("form", { id: "batch-form", novalidate: true, onsubmit: async (ev) => {
    ev.preventDefault();
    const card2 = ev.target.closest("section");
    await forEachSelected(selected(card2), out, (n) => run("IssueWorkPermit", { n }), (n, data) => {
      const p = data.issueWorkPermit;
      return h("span", {}, `autorizaci\xF3n N.\xBA ${p?.id} emitida. `, pdfLink(p?.pdfBase64 ?? null, `autorizacion-${n}.pdf`));
    });
  } }, h("button", { type: "submit", class: "secondary" }, "Emitir autorizaciones de trabajo de los seleccionados"), out);
}

// src/pages/case.ts
var docsText = (docs) => docs?.length ? docs.map((d) => `${DOC_ES[d.type ?? ""] ?? d.type ?? "?"} ${d.number ?? ""}${d.issuingCountry ? ` (${d.issuingCountry})` : ""}`).join("; ") : "\u2014";
function outOfScope(conditions) {
  const office = state.session?.officeCode;
  if (conditions.has("assigned")) return "Este expediente no est\xE1 asignado a usted: solo puede ver los expedientes que tiene asignados.";
  if (conditions.has("own-office")) return `Este expediente es de otra oficina: su rol solo puede ver los expedientes de ${office ? `la oficina ${office}` : "su oficina"}.`;
  return "Su rol no puede ver este expediente.";
}
function workflowBar(c) {
  const status = c.status;
  const at = STAGES.indexOf(status);
  const steps = STAGES.map((s, i) => h("li", {
    class: s === status ? "current" : at >= 0 && i < at ? "done" : "todo",
    "aria-current": s === status ? "step" : null
  }, STATUS_ES[s]));
  if (at < 0) steps.push(h("li", { class: "current", "aria-current": "step" }, STATUS_ES[status]));
  const moves = nextMoves(status);
  const next = moves.length ? h("p", { class: "next" }, "Siguiente: ", moves.map((m, i) => [i ? "; " : "", h("strong", {}, m.label), ` (act\xFAa: ${m.who})`])) : h("p", { class: "next" }, "Estado final: no hay m\xE1s pasos.");
  return h("nav", { class: "workflow", "aria-label": "Flujo del expediente" }, h("ol", {}, steps), next);
}
function render(c, contact, reasons, claim, more) {
  const pr = c.principal;
  const names = new Map((c.members ?? []).map((m) => [m.person?.id, m.person?.fullName]));
  const summary = kv([
    ["Estado", h("span", { class: "badge" }, STATUS_ES[c.status] ?? c.status)],
    ["Fecha de solicitud", fmtDate(c.filingDate)],
    ["Oficina", c.office ? `${c.office.code} \u2014 ${c.office.name}` : "\u2014"],
    ["Prioridad", fmtScore(c.priorityScore)],
    ["Protegido de expulsi\xF3n", c.protectedFromRemoval == null ? "\u2014" : c.protectedFromRemoval ? "S\xED" : "No"],
    ["Oficial asignado", c.assignedOfficer ? `${c.assignedOfficer.fullName ?? c.assignedOfficer.username}` : "Sin asignar"]
  ]);
  const principal = pr ? kv([
    ["Nombre", pr.fullName],
    ["Sexo", SEX_ES[pr.sex ?? ""] ?? pr.sex],
    ["Nacimiento", fmtDate(pr.birthDate)],
    ["Nacionalidad", fmtCountry(pr.nationality)],
    ["Documentos", docsText(pr.documents)],
    ["Ingreso al Per\xFA", fmtDate(pr.entryDate)],
    ...contact ? [
      ["Tel\xE9fono", contact.phone ?? "\u2014"],
      ["Correo", contact.email ?? "\u2014"],
      ["Idiomas", contact.languages?.join(", ") || "\u2014"]
    ] : []
  ]) : h("p", { class: "empty" }, "Sin datos.");
  const family = c.members?.length ? table(
    "Miembros de la familia",
    ["Nombre", "Parentesco", "Sexo", "Nacimiento", "Nacionalidad", "Documentos"],
    c.members.map((m) => [
      m.person?.fullName ?? "\u2014",
      REL_ES[m.relationship ?? ""] ?? m.relationship,
      SEX_ES[m.person?.sex ?? ""] ?? "\u2014",
      fmtDate(m.person?.birthDate),
      fmtCountry(m.person?.nationality),
      docsText(m.person?.documents)
    ])
  ) : h("p", { class: "empty" }, "Sin miembros registrados.");
  const needs = c.needs?.length ? table(
    "Necesidades espec\xEDficas",
    ["C\xF3digo ACNUR", "Necesidad", "Categor\xEDa", "Persona", "Detalle"],
    c.needs.map((n) => [
      n.code ?? "\u2014",
      state.session?.needLabels.get(n.code ?? "") ?? n.label ?? "\u2014",
      n.category ?? "\u2014",
      names.get(n.personId == null ? null : String(n.personId)) ?? "\u2014",
      n.detail || "\u2014"
    ])
  ) : h("p", { class: "empty" }, "Sin necesidades espec\xEDficas registradas.");
  const history = c.history?.length ? table(
    "Historial de estados",
    ["Fecha", "De", "A", "Por", ...reasons ? ["Motivo"] : []],
    c.history.map((x, i) => [
      fmtDateTime(x.at),
      x.fromStatus ? STATUS_ES[x.fromStatus] : "\u2014",
      x.toStatus ? STATUS_ES[x.toStatus] : "\u2014",
      x.actor ?? "\u2014",
      ...reasons ? [reasons[i] ?? "\u2014"] : []
    ])
  ) : h("p", { class: "empty" }, "Sin cambios de estado.");
  const appts = c.appointments?.length ? table(
    "Citas",
    ["Fecha y hora", "Motivo", "Modalidad", "Estado", "Oficina"],
    c.appointments.map((a) => [
      fmtDateTime(a.startsAt),
      APPT_PURPOSE_ES[a.purpose ?? ""] ?? a.purpose ?? "\u2014",
      a.mode === "REMOTE" && a.videoLink ? h("a", { href: a.videoLink, rel: "noopener" }, MODE_ES.REMOTE) : MODE_ES[a.mode ?? ""] ?? "\u2014",
      APPT_STATUS_ES[a.status ?? ""] ?? a.status ?? "\u2014",
      a.officeCode ?? "\u2014"
    ]),
    (i) => ({ "data-appointment": c.appointments[i].id })
  ) : h("p", { class: "empty" }, "Sin citas.");
  return h(
    "div",
    {},
    h("p", { class: "no-print" }, h("button", { type: "button", class: "secondary", id: "print-case", onclick: () => window.print() }, "Imprimir o guardar en PDF")),
    workflowBar(c),
    h("div", { class: "grid" }, card("Resumen", "s-resumen", summary), card("Solicitante principal", "s-principal", principal)),
    card("Familia", "s-familia", family),
    card("Necesidades espec\xEDficas (ACNUR)", "s-necesidades", needs),
    card("Historial de estados", "s-historial", history),
    card("Citas", "s-citas", appts),
    claim,
    more,
    caseActions(c, () => loadCase(c.number))
  );
}
async function loadCase(number) {
  const body = $("#detail-body");
  const status = $("#detail-status");
  const errorsBox = $("#detail-errors");
  $("#detail-title").textContent = `Expediente N.\xBA ${number}`;
  body.replaceChildren();
  errorsBox.hidden = true;
  statusText(status, "Cargando expediente\u2026");
  try {
    const [detail, contact, reasons, claim, notes, docs] = await Promise.all([
      run("CaseDetail", { n: number }),
      mayRun("CaseContact") ? run("CaseContact", { n: number }) : Promise.resolve(null),
      mayRun("CaseHistoryReasons") ? run("CaseHistoryReasons", { n: number }) : Promise.resolve(null),
      mayRun("CaseClaim") ? run("CaseClaim", { n: number }) : Promise.resolve(null),
      mayRun("CaseNotes") ? run("CaseNotes", { n: number }) : Promise.resolve(null),
      mayRun("CaseDocuments") ? run("CaseDocuments", { n: number }) : Promise.resolve(null)
    ]);
    status.textContent = "";
    const { paths, conditions } = forbidden(detail.errors);
    const c = detail.data?.case;
    if (paths.has("case.status") || !c && conditions.size) {
      statusText(status, "");
      showErrors(errorsBox, [{ message: outOfScope(conditions), extensions: { code: "FORBIDDEN" } }]);
      return;
    }
    showErrors(errorsBox, [
      ...detail.errors,
      ...contact?.errors ?? [],
      ...reasons?.errors ?? [],
      ...claim?.errors ?? [],
      ...notes?.errors ?? [],
      ...docs?.errors ?? []
    ]);
    if (!c) {
      if (!detail.errors.length) statusText(status, "No existe un expediente con ese n\xFAmero.");
      return;
    }
    const why = reasons?.data?.case?.history?.map((x) => x.reason) ?? null;
    const done = () => loadCase(number);
    const more = [
      notesCard(c, notes?.data?.case?.notes ?? null, done),
      documentsListCard(c, docs?.data?.case?.issuedDocuments ?? null, done),
      assignCard(c, done)
    ];
    body.replaceChildren(render(c, contact?.data?.case?.principal ?? null, why, claimCard(claim?.data?.case?.claim), more));
    performance.mark("qhub:case");
    $("#detail-title").focus();
  } catch (e) {
    statusText(status, "");
    showErrors(errorsBox, asErrors(e));
  }
}

// src/pages/slots.ts
var limaInstant = (local) => `${local}:00-05:00`;
function slotCard(done) {
  const office = state.session?.officeCode;
  if (!office || !mayRun("CreateSlot")) return null;
  const starts = h("input", { type: "datetime-local" });
  const purpose = h("select", {}, Object.entries(APPT_PURPOSE_ES).map(([k, v]) => h("option", { value: k }, v)));
  const mode = h("select", {}, Object.entries(MODE_ES).map(([k, v]) => h("option", { value: k }, v)));
  const capacity = h("input", { type: "number", min: 1, max: 50, value: 4 });
  const minutes = h("input", { type: "number", min: 10, max: 240, value: 30 });
  return card(`Abrir un horario en ${office}`, "d-horario", actionForm("slot-form", [
    ...field("slot-starts", "Fecha y hora (hora de Lima)", starts),
    ...field("slot-purpose", "Tr\xE1mite", purpose),
    ...field("slot-mode", "Modalidad", mode),
    ...field("slot-capacity", "Cupos", capacity),
    ...field("slot-minutes", "Minutos", minutes)
  ], "Abrir horario", async () => {
    if (!starts.value) return "Indique la fecha y hora del horario.";
    if (Date.parse(limaInstant(starts.value)) <= Date.now()) return "El horario no puede estar en el pasado.";
    return run("CreateSlot", {
      office,
      startsAt: limaInstant(starts.value),
      mode: mode.value,
      purpose: purpose.value,
      capacity: Number(capacity.value),
      minutes: Number(minutes.value)
    });
  }, (data, out) => {
    const slot = data.createAppointmentSlot;
    statusText(out, `Horario abierto: ${fmtDateTime(slot.startsAt)}, ${slot.capacity} cupos.`);
    if (limaDay(slot.startsAt) === limaDay(/* @__PURE__ */ new Date())) void done();
  }));
}

// src/pages/dashboard.ts
var COUNTED = 500;
var KEYS = [
  ["preRegistered", "PRE_REGISTERED"],
  ["appointmentScheduled", "APPOINTMENT_SCHEDULED"],
  ["registered", "REGISTERED"],
  ["underReview", "UNDER_REVIEW"],
  ["rejected", "REJECTED"],
  ["appeal", "APPEAL"]
];
var FOCUS = {
  "cepr-registrar": ["PRE_REGISTERED", "APPOINTMENT_SCHEDULED", "REGISTERED"],
  "cepr-supervisor": ["REGISTERED", "UNDER_REVIEW", "APPEAL"],
  "cepr-eligibility": ["UNDER_REVIEW"],
  "cepr-secretary": ["UNDER_REVIEW", "APPEAL", "REJECTED"]
};
function waited(days) {
  if (days < 60) return plural(days, "d\xEDa", "d\xEDas");
  if (days < 730) return plural(Math.floor(days / 30.4), "mes", "meses");
  return `${(days / 365.25).toLocaleString("es-PE", { maximumFractionDigits: 1 })} a\xF1os`;
}
async function countsCard(who) {
  const office = who.officeCode;
  const { data, errors } = await run("Dashboard", { office: office ? [office] : null, first: COUNTED });
  const focus = FOCUS[who.role] ?? [];
  const rows = KEYS.map(([key2, status]) => {
    const conn = data?.[key2];
    const n = conn?.edges.length ?? 0;
    const oldest = conn?.edges.map((e) => e.node.filingDate).filter(Boolean).sort()[0] ?? null;
    return { status, n, more: conn?.pageInfo.hasNextPage ?? false, oldest };
  }).sort((a, b) => Number(focus.includes(b.status)) - Number(focus.includes(a.status)));
  const box = h("div", { hidden: true });
  showErrors(box, errors);
  return card("Expedientes abiertos por estado", "d-estados", box, table(
    "Expedientes por estado",
    ["Estado", "Expedientes", "Espera m\xE1s larga"],
    rows.map((r) => [
      h("a", { href: `#/expedientes?estado=${r.status}` }, STATUS_ES[r.status]),
      r.more ? `m\xE1s de ${COUNTED}` : r.n.toLocaleString("es-PE"),
      r.oldest ? h("span", { title: `Solicitud del ${fmtDate(r.oldest)}` }, waited(daysSince(r.oldest))) : "\u2014"
    ]),
    (i) => ({ "data-status": rows[i].status })
  ));
}
async function appointmentsCard2(office) {
  const { data, errors } = await run("Slots", { office, purpose: null });
  const today = limaDay(/* @__PURE__ */ new Date());
  const slots = (data?.appointmentSlots ?? []).filter((s) => limaDay(s.startsAt) === today);
  const booked = slots.reduce((n, s) => n + s.booked, 0);
  const box = h("div", { hidden: true });
  showErrors(box, errors);
  return card(
    "Citas de hoy",
    "d-citas",
    box,
    h("p", { class: "big", id: "d-citas-total" }, `${plural(booked, "cita reservada", "citas reservadas")} en ${plural(slots.length, "horario", "horarios")}`),
    slots.length ? table(
      "Horarios de hoy",
      ["Hora", "Tr\xE1mite", "Modalidad", "Reservadas"],
      slots.map((s) => [fmtTime(s.startsAt), APPT_PURPOSE_ES[s.purpose], MODE_ES[s.mode], `${s.booked} de ${s.capacity}`])
    ) : h("p", { class: "empty" }, "No hay horarios hoy en su oficina.")
  );
}
async function duplicatesCard() {
  const { data, errors } = await run("Duplicates", { status: "OPEN", first: 200 });
  const open = data?.possibleDuplicates ?? [];
  const box = h("div", { hidden: true });
  showErrors(box, errors);
  return card(
    "Posibles duplicados nuevos",
    "d-duplicados",
    box,
    h("p", { class: "big" }, h("a", { href: "#/duplicados" }, plural(open.length, "revisi\xF3n pendiente", "revisiones pendientes")))
  );
}
async function queueCard(who) {
  const { data, errors } = await run("Queue", { limit: 5 });
  const rows = data?.officerQueue ?? [];
  const title = who.role === "cepr-eligibility" ? "Asignados a m\xED" : "Primeros de la cola";
  const box = h("div", { hidden: true });
  showErrors(box, errors);
  return card(title, "d-cola", box, rows.length ? table(
    title,
    ["Expediente", "Solicitud", "Prioridad"],
    rows.map((q) => [h("a", { href: `#/expediente/${q.caseNumber}` }, `N.\xBA ${q.caseNumber}`), fmtDate(q.filingDate), q.score?.toFixed(1) ?? "\u2014"])
  ) : h("p", { class: "empty" }, "No hay expedientes en su cola."), h("p", {}, h("a", { href: "#/cola" }, "Ver la cola completa")));
}
function dashboardCards(who) {
  const parts = [awaitingDecisionCard()];
  if (mayRun("Queue")) parts.push(queueCard(who));
  parts.push(countsCard(who));
  if (who.officeCode && mayRun("Slots")) parts.push(appointmentsCard2(who.officeCode));
  if (mayRun("Duplicates")) parts.push(duplicatesCard());
  return Promise.all(parts);
}
async function loadDashboard(early = null) {
  const body = $("#dashboard-body");
  const status = $("#dashboard-status");
  const errorsBox = $("#dashboard-errors");
  errorsBox.hidden = true;
  statusText(status, "Cargando el tablero\u2026");
  const s = state.session;
  const who = { role: s.role, officeCode: s.officeCode };
  const cards = early && early.who.role === who.role && early.who.officeCode === who.officeCode ? early.cards : dashboardCards(who);
  try {
    body.replaceChildren(h("div", { class: "grid" }, await cards, slotCard(() => loadDashboard())));
    performance.mark("qhub:dashboard");
    statusText(status, "");
  } catch (e) {
    statusText(status, "");
    showErrors(errorsBox, asErrors(e));
  }
}

// src/pages/duplicates.ts
function personBlock(title, p, taken = null) {
  if (!p) return h("div", { class: "compare-col" }, h("h4", {}, title), h("p", { class: "empty" }, "Su rol no puede ver a esta persona."));
  const docs = p.documents?.map((d) => `${DOC_ES[d.type ?? ""] ?? d.type} ${d.number ?? ""}${d.issuingCountry ? ` (${d.issuingCountry})` : ""}`).join("; ") || "\u2014";
  const cases = p.cases?.length ? p.cases.map((m, i) => [
    i ? "; " : "",
    m.case?.number ? h("a", { href: `#/expediente/${m.case.number}` }, `N.\xBA ${m.case.number}`) : "\u2014",
    ` (${m.case?.status ? STATUS_ES[m.case.status] : "\u2014"}, oficina ${m.case?.office?.code ?? "\u2014"})`
  ]) : "\u2014";
  const src = taken ?? p.photo;
  const photo = src ? h("img", { class: "photo", src, alt: `Fotograf\xEDa de ${p.fullName ?? `la persona ${p.id}`} tomada en el enrolamiento` }) : h("p", { class: "photo none" }, "Sin fotograf\xEDa de enrolamiento.");
  return h("div", { class: "compare-col" }, h("h4", {}, title), photo, h(
    "dl",
    { class: "kv" },
    h("dt", {}, "Nombre"),
    h("dd", {}, p.fullName ?? "\u2014"),
    h("dt", {}, "Persona"),
    h("dd", {}, `id ${p.id}`),
    h("dt", {}, "Sexo"),
    h("dd", {}, SEX_ES[p.sex ?? ""] ?? "\u2014"),
    h("dt", {}, "Nacimiento"),
    h("dd", {}, fmtDate(p.birthDate)),
    h("dt", {}, "Nacionalidad"),
    h("dd", {}, fmtCountry(p.nationality)),
    h("dt", {}, "Documentos"),
    h("dd", {}, docs),
    h("dt", {}, "Expedientes"),
    h("dd", {}, cases)
  ));
}
function decisionForm(d) {
  const out = h("div", { hidden: true });
  const decision = h(
    "select",
    { id: `dup-${d.id}-decision` },
    h("option", { value: "DISTINCT" }, "Personas distintas"),
    h("option", { value: "DUPLICATE" }, "Misma persona")
  );
  const note = h("textarea", { id: `dup-${d.id}-note`, rows: 2 });
  const confirm = h("input", { type: "checkbox", id: `dup-${d.id}-confirm` });
  const confirmRow = h(
    "label",
    { class: "check", for: `dup-${d.id}-confirm`, hidden: true },
    confirm,
    " Confirmo que es la misma persona: no se enrola de nuevo y su registro sigue con el expediente ya existente."
  );
  decision.addEventListener("change", () => {
    confirmRow.hidden = decision.value !== "DUPLICATE";
  });
  return h(
    "form",
    { class: "decision", novalidate: true, onsubmit: async (ev) => {
      ev.preventDefault();
      if (note.value.trim().length < 10) {
        showErrors(out, [{ message: "Explique la decisi\xF3n (al menos 10 caracteres).", extensions: { code: "NOTE_REQUIRED" } }]);
        return;
      }
      if (decision.value === "DUPLICATE" && !confirm.checked) {
        showErrors(out, [{ message: "Marque la confirmaci\xF3n de que es la misma persona.", extensions: { code: "CONFIRMATION_REQUIRED" } }]);
        return;
      }
      statusText(out, "Guardando\u2026");
      try {
        const { data, errors } = await run("ResolveDuplicate", { id: d.id, decision: decision.value, note: note.value.trim() });
        const done = data?.resolvePossibleDuplicate;
        if (errors.length || !done) {
          showErrors(out, errors);
          return;
        }
        ev.target.replaceWith(h(
          "p",
          { class: "status" },
          `${done.status === "DUPLICATE" ? "Misma persona" : "Personas distintas"} \u2014 decidido por ${done.resolvedBy}.`
        ));
      } catch (e) {
        showErrors(out, asErrors(e));
      }
    } },
    h("label", { for: `dup-${d.id}-decision` }, "Decisi\xF3n"),
    decision,
    h("label", { for: `dup-${d.id}-note` }, "Motivo"),
    note,
    confirmRow,
    h("button", { type: "submit" }, "Decidir"),
    out
  );
}
function undoForm(d) {
  const out = h("div", { hidden: true });
  const note = h("textarea", { id: `undo-${d.id}-note`, rows: 2 });
  const confirm = h("input", { type: "checkbox", id: `undo-${d.id}-confirm` });
  return h(
    "form",
    { class: "decision undo", novalidate: true, onsubmit: async (ev) => {
      ev.preventDefault();
      if (note.value.trim().length < 10) {
        showErrors(out, [{ message: "Explique por qu\xE9 se deshace (al menos 10 caracteres).", extensions: { code: "NOTE_REQUIRED" } }]);
        return;
      }
      if (!confirm.checked) {
        showErrors(out, [{ message: "Marque la confirmaci\xF3n para deshacer la decisi\xF3n.", extensions: { code: "CONFIRMATION_REQUIRED" } }]);
        return;
      }
      statusText(out, "Guardando\u2026");
      try {
        const { data, errors } = await run("UndoDuplicate", { id: d.id, note: note.value.trim() });
        if (errors.length || !data) {
          showErrors(out, errors);
          return;
        }
        ev.target.replaceWith(h(
          "p",
          { class: "status" },
          `Decisi\xF3n deshecha por ${data.undoDuplicateDecision.undoneBy}: la revisi\xF3n vuelve a estar pendiente.`
        ));
      } catch (e) {
        showErrors(out, asErrors(e));
      }
    } },
    h("label", { for: `undo-${d.id}-note` }, "Motivo para deshacer"),
    note,
    h(
      "label",
      { class: "check", for: `undo-${d.id}-confirm` },
      confirm,
      " Confirmo que se deshace la decisi\xF3n \xABmisma persona\xBB: la revisi\xF3n vuelve a quedar pendiente."
    ),
    h("button", { type: "submit" }, "Deshacer \xABmisma persona\xBB"),
    out
  );
}
function reviewCard(d, decided) {
  return h(
    "article",
    { class: "card review", "data-review": d.id, "aria-labelledby": `dup-${d.id}-title` },
    h("h3", { id: `dup-${d.id}-title` }, `Revisi\xF3n N.\xBA ${d.id} \xB7 similitud ${Math.round(d.score * 100)} %`),
    h("p", { class: "hint" }, `Levantada por ${d.raisedBy} el ${fmtDateTime(d.raisedAt)}.`),
    decided ? h("p", { class: "hint" }, `Misma persona \u2014 decidido por ${d.resolvedBy ?? "\u2014"}: ${d.resolutionNote ?? "\u2014"}`) : null,
    !decided && d.undoneBy ? h("p", { class: "hint" }, `Una decisi\xF3n \xABmisma persona\xBB fue deshecha por ${d.undoneBy} el ${fmtDateTime(d.undoneAt)}: ${d.undoNote ?? "\u2014"}`) : null,
    h("div", { class: "compare" }, personBlock("Persona que se enrolaba", d.person, d.photo), personBlock("Coincide con", d.matchedPerson)),
    decided ? mayRun("UndoDuplicate") ? undoForm(d) : null : mayRun("ResolveDuplicate") ? decisionForm(d) : h("p", { class: "status" }, "Pendiente (decide supervisi\xF3n).")
  );
}
async function loadDuplicates() {
  const body = $("#duplicates-body");
  const status = $("#duplicates-status");
  body.replaceChildren();
  statusText(status, "Cargando revisiones\u2026");
  try {
    const [open, same] = await Promise.all([
      run("Duplicates", { status: "OPEN", first: 200 }),
      mayRun("UndoDuplicate") ? run("Duplicates", { status: "DUPLICATE", first: 50 }) : Promise.resolve(null)
    ]);
    showErrors($("#duplicates-errors"), [...open.errors, ...same?.errors ?? []]);
    const rows = open.data?.possibleDuplicates ?? [];
    const decided = same?.data?.possibleDuplicates ?? [];
    body.replaceChildren(
      ...rows.map((d) => reviewCard(d, false)),
      ...decided.length ? [
        h("h3", { id: "dup-decididas" }, "Decididas como \xABmisma persona\xBB (se pueden deshacer)"),
        ...decided.map((d) => reviewCard(d, true))
      ] : []
    );
    statusText(status, rows.length ? `${rows.length} revisi${rows.length === 1 ? "\xF3n pendiente" : "ones pendientes"}.` : "No hay posibles duplicados por revisar.");
  } catch (e) {
    statusText(status, "");
    showErrors($("#duplicates-errors"), asErrors(e));
  }
}

// src/pages/inbox.ts
var PAGE2 = 25;
var inbox = { after: null, filter: null, loading: false };
function fillFilters() {
  const fill2 = (select, options2) => select.replaceChildren(select.options[0], ...options2.map(([v, t]) => h("option", { value: v }, t)));
  const s = state.session;
  fill2($("select[name=office]"), s.offices.map((o) => [o.code, `${o.code} \u2014 ${o.name}`]));
  fill2($("select[name=status]"), Object.entries(STATUS_ES));
  fill2($("select[name=need]"), [...s.needLabels].map(([code, label]) => [code, `${code} \u2014 ${label}`]));
}
function readFilter() {
  const f = new FormData($("#filters"));
  const get = (k) => String(f.get(k) ?? "").trim();
  const filter = { officeCodes: null, statuses: null, needCodes: null, nationalities: null, filedFrom: null, filedTo: null };
  if (get("office")) filter.officeCodes = [get("office")];
  if (get("status")) filter.statuses = [get("status")];
  if (get("need")) filter.needCodes = [get("need")];
  if (get("nationality")) filter.nationalities = [get("nationality").toUpperCase()];
  if (get("from")) filter.filedFrom = get("from");
  if (get("to")) filter.filedTo = get("to");
  return Object.values(filter).some((v) => v != null) ? filter : null;
}
function presetStatus(status) {
  $("select[name=status]").value = status ?? "";
}
async function loadCases(reset) {
  if (inbox.loading) return;
  inbox.loading = true;
  const tbody = $("#cases tbody");
  const status = $("#inbox-status");
  const more = $("#more");
  if (reset) {
    tbody.replaceChildren();
    inbox.after = null;
    inbox.filter = readFilter();
  }
  statusText(status, "Cargando expedientes\u2026");
  more.disabled = true;
  try {
    const { data, errors } = await run("CaseList", { first: PAGE2, after: inbox.after, filter: inbox.filter });
    showErrors($("#inbox-errors"), errors);
    if (!data) {
      statusText(status, "");
      return;
    }
    for (const { node: c } of data.cases.edges) {
      tbody.append(h(
        "tr",
        { "data-case": c.number },
        h("th", { scope: "row" }, h("span", { class: "sel" }, pick(c.number), " "), h("a", { href: `#/expediente/${c.number}` }, `N.\xBA ${c.number}`)),
        h("td", {}, c.principal?.fullName ?? "\u2014"),
        h("td", {}, fmtCountry(c.principal?.nationality)),
        h("td", {}, h("span", { class: "badge" }, c.status ? STATUS_ES[c.status] : "\u2014")),
        h("td", {}, fmtDate(c.filingDate)),
        h("td", {}, fmtScore(c.priorityScore)),
        h("td", {}, c.office?.code ?? "\u2014"),
        h("td", {}, c.assignedOfficer?.fullName ?? c.assignedOfficer?.username ?? "\u2014")
      ));
    }
    inbox.after = data.cases.pageInfo.endCursor;
    more.hidden = !data.cases.pageInfo.hasNextPage;
    const total = tbody.children.length;
    statusText(status, total === 0 ? "No hay expedientes que coincidan con los filtros." : `${total} expediente${total === 1 ? "" : "s"} mostrado${total === 1 ? "" : "s"}${data.cases.pageInfo.hasNextPage ? " (hay m\xE1s)" : ""}.`);
  } catch (e) {
    statusText(status, "");
    showErrors($("#inbox-errors"), asErrors(e));
  } finally {
    inbox.loading = false;
    more.disabled = false;
  }
}

// src/pages/queue.ts
var PAGE3 = 25;
var HUB_MAX = 500;
var queue = { limit: PAGE3 };
function resetQueue() {
  queue.limit = PAGE3;
}
async function loadQueue() {
  const body = $("#queue-body");
  const status = $("#queue-status");
  const errorsBox = $("#queue-errors");
  errorsBox.hidden = true;
  statusText(status, "Cargando cola\u2026");
  try {
    const { data, errors } = await run("Queue", { limit: Math.min(queue.limit + 1, HUB_MAX) });
    showErrors(errorsBox, errors);
    const all = data?.officerQueue ?? [];
    const rows = all.slice(0, queue.limit);
    const hasMore = all.length > rows.length;
    const more = h("button", {
      type: "button",
      id: "queue-more",
      class: "secondary",
      hidden: !hasMore,
      onclick: () => {
        queue.limit = Math.min(queue.limit + PAGE3, HUB_MAX - 1);
        void loadQueue();
      }
    }, "Cargar m\xE1s");
    fill(
      body,
      ...mayRun("AssignCases") ? [assignCard2()] : [],
      rows.length ? table(
        "Expedientes por prioridad efectiva",
        ["Expediente", "Oficina", "Solicitud", "Prioridad", "Motivos", "Ajuste manual"],
        rows.map((q) => [
          h("a", { href: `#/expediente/${q.caseNumber}` }, `N.\xBA ${q.caseNumber}`),
          q.officeCode ?? "\u2014",
          fmtDate(q.filingDate),
          fmtScore(q.score),
          q.reasons?.length ? h("ul", { class: "plain" }, q.reasons.map((r) => h("li", {}, `${r.explanation} (${fmtScore(r.points)})`))) : "\u2014",
          q.overrideReason ? `${q.overrideReason}${q.overrideBy ? ` (${q.overrideBy})` : ""}; calculada ${fmtScore(q.computedScore)}` : "\u2014"
        ]),
        (i) => ({ "data-case": rows[i].caseNumber })
      ) : null,
      more
    );
    statusText(status, rows.length ? `${plural(rows.length, "expediente mostrado", "expedientes mostrados")}${hasMore ? " (hay m\xE1s)" : ""}.` : "La cola est\xE1 vac\xEDa.");
  } catch (e) {
    statusText(status, "");
    showErrors(errorsBox, asErrors(e));
  }
}
function assignCard2() {
  const office = state.session.officeCode;
  const select = h("select", {}, state.session.offices.map((o) => h("option", { value: o.code, selected: o.code === office }, `${o.code} \u2014 ${o.name}`)));
  const limit = h("input", { type: "number", min: 1, max: 1e3, value: 50 });
  const out = h("div", { id: "assign-out", hidden: true });
  const form = h(
    "form",
    { id: "assign-form", class: "inline-form", novalidate: true, onsubmit: async (ev) => {
      ev.preventDefault();
      statusText(out, "Asignando\u2026");
      try {
        const { data, errors } = await run("AssignCases", { office: select.value, limit: Number(limit.value) || 50 });
        if (errors.length || !data) {
          showErrors(out, errors);
          return;
        }
        const r = data.assignCases;
        fill(
          out,
          h("p", {}, `${plural(r.assigned.length, "expediente asignado", "expedientes asignados")} (regla ${r.ruleVersion}).`),
          r.notAssigned.length ? h(
            "div",
            {},
            h("p", {}, `${plural(r.notAssigned.length, "expediente qued\xF3", "expedientes quedaron")} sin asignar:`),
            h("ul", { class: "plain", id: "not-assigned" }, r.notAssigned.map((x) => h(
              "li",
              { "data-case": x.caseNumber },
              h("a", { href: `#/expediente/${x.caseNumber}` }, `N.\xBA ${x.caseNumber}`),
              ` \u2014 ${x.reason}`
            )))
          ) : null
        );
        out.className = "status";
      } catch (e) {
        showErrors(out, asErrors(e));
      }
    } },
    ...field("assign-office", "Oficina", select),
    ...field("assign-limit", "Cu\xE1ntos como m\xE1ximo", limit),
    h("button", { type: "submit" }, "Asignar autom\xE1ticamente")
  );
  return card("Asignaci\xF3n autom\xE1tica", "q-asignar", h(
    "p",
    { class: "hint" },
    "Asigna los expedientes en evaluaci\xF3n sin oficial, de mayor prioridad primero, al oficial con el perfil adecuado y menos carga."
  ), form, out);
}

// src/pages/saved.ts
var FIELDS = ["office", "status", "need", "nationality", "from", "to"];
var key = () => `qhub.filters.${state.session?.role ?? "?"}`;
var read = () => {
  try {
    return JSON.parse(localStorage.getItem(key()) ?? "[]");
  } catch {
    return [];
  }
};
function renderSaved(apply) {
  const list = $("#saved-filters");
  const saved = read();
  list.replaceChildren(...saved.map((s, i) => h(
    "li",
    {},
    h("button", { type: "button", class: "small secondary", onclick: () => {
      const form = $("#filters");
      for (const f of FIELDS) form.elements.namedItem(f).value = s.values[f] ?? "";
      apply();
    } }, s.name),
    h("button", { type: "button", class: "small secondary", "aria-label": `Borrar el filtro ${s.name}`, onclick: () => {
      localStorage.setItem(key(), JSON.stringify(saved.filter((_, j) => j !== i)));
      renderSaved(apply);
    } }, "\xD7")
  )));
}
function saveCurrent(apply) {
  const name = $("#filter-name").value.trim();
  const out = $("#saved-out");
  if (!name) {
    out.hidden = false;
    out.textContent = "Ponga un nombre al filtro.";
    return;
  }
  const form = new FormData($("#filters"));
  const values = Object.fromEntries(FIELDS.map((f) => [f, String(form.get(f) ?? "")]));
  localStorage.setItem(key(), JSON.stringify([...read().filter((s) => s.name !== name), { name, values }]));
  $("#filter-name").value = "";
  out.hidden = false;
  out.textContent = `Filtro \xAB${name}\xBB guardado.`;
  renderSaved(apply);
}
var cell = (text) => {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
};
function downloadList() {
  const rows = [...document.querySelectorAll("#cases tr")].map((tr) => [...tr.cells].map((c) => cell(c.innerText.trim())).join(","));
  const blob = new Blob(["\uFEFF" + rows.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
  const a = h("a", { href: URL.createObjectURL(blob), download: "expedientes.csv" });
  document.body.append(a);
  a.click();
  a.remove();
}

// src/pages/search.ts
var RESULTS = 20;
async function loadSearch(text) {
  const body = $("#results-body");
  const status = $("#results-status");
  const errorsBox = $("#results-errors");
  $("#results-title").textContent = `Resultados para \xAB${text}\xBB`;
  body.replaceChildren();
  errorsBox.hidden = true;
  statusText(status, "Buscando\u2026");
  try {
    const { data, errors } = await run("SearchCases", { text, first: RESULTS });
    showErrors(errorsBox, errors);
    const found = data?.searchCases ?? [];
    if (found.length === 1 && !errors.length) {
      location.replace(`#/expediente/${found[0].number}`);
      return;
    }
    statusText(status, found.length ? `${found.length} expediente${found.length === 1 ? "" : "s"}${found.length === RESULTS ? " (los m\xE1s parecidos)" : ""}.` : errors.length ? "" : "Ning\xFAn expediente suyo coincide con la b\xFAsqueda.");
    performance.mark("qhub:results");
    if (found.length) {
      body.replaceChildren(table(
        "Expedientes encontrados",
        ["Expediente", "Solicitante principal", "Nacionalidad", "Estado", "Solicitud", "Oficina"],
        found.map((c) => [
          h("a", { href: `#/expediente/${c.number}` }, `N.\xBA ${c.number}`),
          c.principal?.fullName ?? "\u2014",
          fmtCountry(c.principal?.nationality),
          c.status ? STATUS_ES[c.status] : "\u2014",
          fmtDate(c.filingDate),
          c.office?.code ?? "\u2014"
        ]),
        (i) => ({ "data-case": found[i].number })
      ));
    }
  } catch (e) {
    statusText(status, "");
    showErrors(errorsBox, asErrors(e));
  }
}

// src/main.ts
var PAGES = ["#dashboard", "#inbox", "#queue", "#duplicates", "#detail", "#results", "#accesslog"];
function logout(errors) {
  clearSession();
  $("#cases tbody").replaceChildren();
  $("#who").replaceChildren();
  if (errors) showErrors($("#login-error"), errors);
  location.hash = "#/";
  void render2();
}
api.onSessionLost = logout;
function show(page, nav) {
  for (const p of PAGES) $(p).hidden = p !== page;
  for (const a of document.querySelectorAll("[data-nav]")) {
    if (a.dataset.nav === nav) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}
async function render2() {
  const loggedIn = Boolean(api.token);
  $("#login").hidden = loggedIn;
  $("#nav").hidden = !loggedIn;
  $("#search").hidden = !loggedIn;
  if (!loggedIn) {
    show(null, null);
    $("#username").focus();
    return;
  }
  let early = null;
  if (!state.session) {
    const who = tokenClaims();
    if (who && (location.hash || "#/") === "#/") {
      api.role = who.role;
      early = { who, cards: dashboardCards(who) };
      early.cards.catch(() => void 0);
    }
    try {
      const s = await loadSession();
      $("#who").replaceChildren(
        h("span", {}, `${ROLE_ES[s.role] ?? s.role}${s.officeCode ? ` \xB7 Oficina ${s.officeCode}` : ""}`),
        h("button", { type: "button", onclick: () => logout() }, "Cerrar sesi\xF3n")
      );
      fillFilters();
      renderSaved(() => void loadCases(true));
      const bulk = bulkStatusForm(() => void loadCases(true));
      $("#bulk").replaceChildren(...bulk ? [bulk] : []);
      $("#cases").classList.toggle("no-bulk", !bulk);
      $('[data-nav="queue"]').hidden = !mayRun("Queue");
      $('[data-nav="duplicates"]').hidden = !mayRun("Duplicates");
      $('[data-nav="accesslog"]').hidden = !mayRun("AccessLog");
    } catch (e) {
      if (!api.token) return;
      show("#dashboard", null);
      showErrors($("#dashboard-errors"), e.errors ?? asErrors(e));
      return;
    }
  }
  const hash = location.hash || "#/";
  const caseMatch = hash.match(/^#\/expediente\/(\d+)$/);
  if (caseMatch) {
    show("#detail", null);
    await loadCase(Number(caseMatch[1]));
    return;
  }
  if (hash.startsWith("#/buscar?")) {
    show("#results", null);
    await loadSearch(new URLSearchParams(hash.split("?")[1]).get("q") ?? "");
    return;
  }
  if (hash === "#/accesos" && mayRun("AccessLog")) {
    show("#accesslog", "accesslog");
    await loadAccessLog(true);
    return;
  }
  if (hash === "#/cola" && mayRun("Queue")) {
    show("#queue", "queue");
    resetQueue();
    await loadQueue();
    return;
  }
  if (hash === "#/duplicados" && mayRun("Duplicates")) {
    show("#duplicates", "duplicates");
    await loadDuplicates();
    return;
  }
  if (hash.startsWith("#/expedientes")) {
    show("#inbox", "inbox");
    presetStatus(new URLSearchParams(hash.split("?")[1] ?? "").get("estado"));
    await loadCases(true);
    return;
  }
  show("#dashboard", "dashboard");
  await loadDashboard(early);
}
function tokenClaims() {
  try {
    const part = (api.token ?? "").split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const claims = JSON.parse(atob(part));
    return typeof claims.role === "string" ? { role: claims.role, officeCode: typeof claims.office === "string" ? claims.office : null } : null;
  } catch {
    return null;
  }
}
function search(ev) {
  ev.preventDefault();
  performance.mark("qhub:search");
  const q = $("#q").value.trim();
  const out = $("#search-out");
  const number = q.replace(/^(n\.?\s*º?|exp(ediente)?\.?)\s*/i, "");
  if (q.length < 2) {
    out.hidden = false;
    out.textContent = "Escriba al menos 2 letras o cifras.";
    return;
  }
  out.hidden = true;
  location.hash = /^\d+$/.test(number) && number.length <= 7 ? `#/expediente/${Number(number)}` : `#/buscar?q=${encodeURIComponent(q)}`;
}
function init() {
  restoreToken();
  $("#detail-title").setAttribute("tabindex", "-1");
  $("#login-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const err = $("#login-error");
    const button = $("#login-form button");
    const user = $("#username").value.trim();
    const pw = $("#password").value;
    if (!user || !pw) {
      err.hidden = false;
      err.textContent = "Ingrese usuario y contrase\xF1a.";
      return;
    }
    button.disabled = true;
    err.hidden = true;
    performance.mark("qhub:login");
    try {
      setToken(await loginWithPassword(user, pw));
      $("#password").value = "";
      await render2();
    } catch (e) {
      err.hidden = false;
      err.textContent = e.message;
    } finally {
      button.disabled = false;
    }
  });
  $("#token-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const t = $("#token").value.trim().replace(/^Bearer\s+/i, "");
    if (!t) {
      const err = $("#login-error");
      err.hidden = false;
      err.textContent = "Pegue un token.";
      return;
    }
    setToken(t);
    $("#token").value = "";
    await render2();
  });
  $("#filters").addEventListener("submit", (ev) => {
    ev.preventDefault();
    void loadCases(true);
  });
  $("#filters").addEventListener("reset", () => setTimeout(() => void loadCases(true)));
  $("#more").addEventListener("click", () => void loadCases(false));
  $("#search").addEventListener("submit", search);
  $("#save-filter").addEventListener("submit", (ev) => {
    ev.preventDefault();
    saveCurrent(() => void loadCases(true));
  });
  $("#download-list").addEventListener("click", downloadList);
  window.addEventListener("hashchange", () => void render2());
  void render2();
}
init();

"""Work permits checked by tools nobody here wrote: pyHanko's validator, poppler's pdfsig,
zbar's QR decoder; tampering detected; revocation visible on the next verification."""

from __future__ import annotations

import base64
import io
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from asn1crypto import pem, x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.auth.tokens import mint
from tests.conftest import LiveHub
from tests.factories import make_cases

ISSUE = """mutation($n: Int!) { issueWorkPermit(caseNumber: $n) {
  id caseNumber validFrom validTo verificationUrl sha256 pdfBase64 } }"""


def graphql(hub: LiveHub, token: str | None, query: str, variables: Any = None) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = httpx.post(
        f"{hub.url}/graphql",
        json={"query": query, "variables": variables or {}},
        headers=headers,
        timeout=30,
    )
    return response.json()  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
async def issued(live_hub: LiveHub, engine: AsyncEngine, tmp_path_factory: Any) -> dict[str, Any]:
    case = (await make_cases(engine, 1, status="under_review"))[0]
    body = graphql(live_hub, mint("cepr-secretary", office="LIM"), ISSUE, {"n": case.number})
    assert "errors" not in body, body
    permit = body["data"]["issueWorkPermit"]
    folder: Path = tmp_path_factory.mktemp("permit")
    path = folder / "permiso.pdf"
    path.write_bytes(base64.b64decode(permit["pdfBase64"]))
    ca = httpx.get(f"{live_hub.url}/documents/ca.pem").content
    (folder / "ca.pem").write_bytes(ca)
    return {"permit": permit, "path": path, "ca": ca, "folder": folder, "case": case}


def trust_roots(ca_pem: bytes) -> list[x509.Certificate]:
    _, _, der = pem.unarmor(ca_pem)
    return [x509.Certificate.load(der)]


def test_pyhanko_validates_the_signature_by_its_bottom_line(issued: dict[str, Any]) -> None:
    with issued["path"].open("rb") as handle:
        reader = PdfFileReader(handle)
        status = validate_pdf_signature(
            reader.embedded_signatures[0], ValidationContext(trust_roots=trust_roots(issued["ca"]))
        )
        assert status.bottom_line, status.pretty_print_details()


def test_pdfsig_trusting_the_commission_ca_says_valid(issued: dict[str, Any]) -> None:
    assert shutil.which("pdfsig") and shutil.which("certutil"), "poppler-utils and libnss3-tools"
    nss = issued["folder"] / "nss"
    nss.mkdir(exist_ok=True)
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
    subprocess.run(
        [
            "certutil",
            "-A",
            "-n",
            "cepr-ca",
            "-t",
            "CT,C,C",
            "-i",
            str(issued["folder"] / "ca.pem"),
            "-d",
            f"sql:{nss}",
        ],
        check=True,
    )
    out = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nss}", str(issued["path"])], capture_output=True, text=True
    ).stdout
    assert "Signature is Valid" in out, out
    assert "Certificate is Trusted" in out, out


def test_the_qr_on_the_rendered_page_carries_the_issued_token(issued: dict[str, Any]) -> None:
    assert shutil.which("pdftoppm") and shutil.which("zbarimg"), "poppler-utils and zbar-tools"
    png = issued["folder"] / "page"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", str(issued["path"]), str(png)], check=True
    )
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", f"{png}.png"], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert decoded == issued["permit"]["verificationUrl"]


def test_the_verification_page_shows_the_constancia(
    live_hub: LiveHub, issued: dict[str, Any]
) -> None:
    page = httpx.get(
        issued["permit"]["verificationUrl"].replace("http://127.0.0.1:8000", live_hub.url)
    )
    assert page.status_code == 200
    assert 'data-status="valid"' in page.text and "Constancia de validez" in page.text
    assert "válida desde" in page.text


def test_the_constancia_as_pdf_says_the_same(live_hub: LiveHub, issued: dict[str, Any]) -> None:
    url = issued["permit"]["verificationUrl"].replace("http://127.0.0.1:8000", live_hub.url)
    response = httpx.get(f"{url}.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    path = issued["folder"] / "constancia.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "CONSTANCIA DE VALIDEZ" in text and "válida desde" in text
    garbage = httpx.get(f"{live_hub.url}/v/basura.pdf")
    assert garbage.status_code == 404 and garbage.headers["content-type"] == "application/pdf"


def test_the_permit_says_everything_a_stranger_needs(issued: dict[str, Any]) -> None:
    # given the issued permit, read by poppler
    path = issued["path"]
    words = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split()
    )
    number = issued["case"].number
    # then the seed's legal wording is there in full, with the commission's contact lines
    for item in (
        "artículo 14 de la Ley N.° 27891, Ley del Refugiado",
        "faculta al portador a permanecer en el país y a trabajar",
        "no reemplaza los antecedentes policiales, penales ni judiciales",
        "Jr. Lampa 545, Cercado de Lima",
        "Central telefónica (01) 204-2400",
        f"Documento N.° AT-{number}-01",
        "Documento nacional de identidad N.° T",
        "Vigencia desde",
    ):
        assert item in words, (item, words)
    # one "digitally signed by" line, naming the signer
    assert words.count("Firmado digitalmente por:") == 1
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert f"Title:           Autorización de trabajo N.° AT-{number}-01" in info
    assert "Author:          Comisión Especial para los Refugiados" in info
    assert b"/Lang (es-PE)" in path.read_bytes()


def test_the_constancia_pdf_is_signed_and_states_its_time_zone(
    live_hub: LiveHub, issued: dict[str, Any]
) -> None:
    from tests.services.documents.test_card import nss_trusting

    url = issued["permit"]["verificationUrl"].replace("http://127.0.0.1:8000", live_hub.url)
    folder = issued["folder"] / "constancia"
    folder.mkdir(exist_ok=True)
    path = folder / "constancia.pdf"
    path.write_bytes(httpx.get(f"{url}.pdf").content)
    out = subprocess.run(
        ["pdfsig", "-nssdir", nss_trusting(issued["ca"], folder), str(path)],
        capture_output=True,
        text=True,
    ).stdout
    assert "Signature is Valid" in out and "Certificate is Trusted" in out, out
    words = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "(hora de Lima, America/Lima, UTC-05:00)" in words, words
    assert "VÁLIDO" in words and f"AT-{issued['case'].number}-01" in words


def test_a_tampered_pdf_is_refused_by_both_validators(issued: dict[str, Any]) -> None:
    data = bytearray(issued["path"].read_bytes())
    index = data.find(b"Persona")  # inside the signed content: alter one byte of the page text
    index = index if index > 0 else len(data) // 3
    data[index] ^= 0x01
    tampered = issued["folder"] / "alterado.pdf"
    tampered.write_bytes(bytes(data))
    reader = PdfFileReader(io.BytesIO(bytes(data)))
    status = validate_pdf_signature(
        reader.embedded_signatures[0], ValidationContext(trust_roots=trust_roots(issued["ca"]))
    )
    assert not status.bottom_line
    out = subprocess.run(["pdfsig", str(tampered)], capture_output=True, text=True).stdout
    assert "Signature is Valid" not in out


def test_tampered_and_garbage_tokens_get_a_clear_answer(
    live_hub: LiveHub, issued: dict[str, Any]
) -> None:
    token = issued["permit"]["verificationUrl"].rsplit("/", 1)[1]
    head, body, sig = token.split(".")
    query = "query($t: String!) { verifyDocument(token: $t) { status message } }"
    for bad in (f"{head}.{body[:-3]}AAA.{sig}", "garbage", ""):
        answer = graphql(live_hub, None, query, {"t": bad})["data"]["verifyDocument"]
        assert answer["status"] == "invalid" and answer["message"]
    page = httpx.get(f"{live_hub.url}/v/not-a-token")
    assert page.status_code == 404 and 'data-status="invalid"' in page.text


def test_a_revoked_permit_verifies_as_revoked(live_hub: LiveHub, issued: dict[str, Any]) -> None:
    token = issued["permit"]["verificationUrl"].rsplit("/", 1)[1]
    query = "query($t: String!) { verifyDocument(token: $t) { status givenNames } }"
    assert (
        graphql(live_hub, None, query, {"t": token})["data"]["verifyDocument"]["status"] == "valid"
    )
    # a revocation needs a reason: empty or blank ones are refused and change nothing
    for blank in ("", "   "):
        refused = graphql(
            live_hub,
            mint("cepr-secretary", office="LIM"),
            "mutation($id: ID!, $r: String!) { revokeWorkPermit(id: $id, reason: $r) }",
            {"id": issued["permit"]["id"], "r": blank},
        )
        assert refused["errors"][0]["extensions"]["code"] == "VALIDATION_FAILED"
        assert [p["code"] for p in refused["errors"][0]["extensions"]["problems"]] == [
            "REASON_REQUIRED"
        ]
        still = graphql(live_hub, None, query, {"t": token})["data"]["verifyDocument"]
        assert still["status"] == "valid"
    revoke = graphql(
        live_hub,
        mint("cepr-secretary", office="LIM"),
        'mutation($id: ID!) { revokeWorkPermit(id: $id, reason: " Documento extraviado ") }',
        {"id": issued["permit"]["id"]},
    )
    assert revoke["data"] == {"revokeWorkPermit": True}
    assert (
        graphql(live_hub, None, query, {"t": token})["data"]["verifyDocument"]["status"]
        == "revoked"
    )
    # the page never reads as valid: no "válida desde", the verdict says NO VÁLIDO
    page = httpx.get(f"{live_hub.url}/v/{token}").text
    assert "válida desde" not in page and "NO VÁLIDO: revocado" in page
    assert 'data-status="revoked"' in page
    # and the record shown says when and why it was revoked
    assert f"el {date.today():%d/%m/%Y}; motivo: Documento extraviado" in page
    revoked = graphql(
        live_hub,
        None,
        "query($t: String!) { verifyDocument(token: $t) { status revokedOn revokedReason } }",
        {"t": token},
    )["data"]["verifyDocument"]
    assert revoked == {
        "status": "revoked",
        "revokedOn": date.today().isoformat(),
        "revokedReason": "Documento extraviado",
    }


def test_only_the_signing_role_can_issue(live_hub: LiveHub, issued: dict[str, Any]) -> None:
    for role in ("cepr-supervisor", "cepr-registrar"):
        body = graphql(live_hub, mint(role, office="LIM"), ISSUE, {"n": issued["case"].number})
        assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_a_final_rejection_gets_no_permit(live_hub: LiveHub, engine: AsyncEngine) -> None:
    case = (await make_cases(engine, 1, status="rejected_final"))[0]
    body = graphql(live_hub, mint("cepr-secretary", office="LIM"), ISSUE, {"n": case.number})
    assert body["errors"][0]["extensions"]["code"] == "NOT_ELIGIBLE_FOR_PERMIT"
    assert body["data"] == {"issueWorkPermit": None}

"""Uploads through the real endpoints: a PDF with active content or an oversized image is a
Persian 400 and nothing is stored, no file and no row (issue 13 point 6)."""

import io
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from claims.models import ClaimDocument
from policies.models import Policy
from tests.core import pdfs
from tests.insurance_requests.conftest import client_for

pytestmark = pytest.mark.django_db

REFUSED_PDFS = {
    "javascript escaped": pdfs.pdf_with_catalog(b"/OpenAction << /S /J#61vaScript /JS (app.alert(1)) >> "),
    "launch escaped": pdfs.pdf_with_catalog(b"/OpenAction << /S /L#61unch /F (cmd.exe) >> "),
    "uri link": pdfs.pdf_with_page(
        b"/Annots [7 0 R] ",
        {7: b"<< /Type /Annot /Subtype /Link /Rect [0 0 99 20] /A << /S /URI /URI (https://evil.example/) >> >>"},
    ),
    "embedded file": pdfs.pdf_with_catalog(
        b"/Names << /EmbeddedFiles << /Names [(a.exe) 7 0 R] >> >> ",
        {7: b"<< /Type /Filespec /F (a.exe) /EF << /F 8 0 R >> >>", 8: pdfs.stream(b"MZ", b"/Type /EmbeddedFile ")},
    ),
    "javascript in an object stream": pdfs.pdf_with_object_stream(
        {20: b"<< /S /JavaScript /JS (app.alert(1)) >>"}, catalog_extra=b"/OpenAction 20 0 R "
    ),
    "encrypted": pdfs.pdf_document(
        pdfs.page_objects(), trailer=b"/Encrypt << /Filter /Standard /V 1 /R 2 /O <00> /U <00> /P -4 >> "
    ),
    "flate bomb": pdfs.pdf_document(
        pdfs.page_objects()
        | {10: pdfs.stream(zlib.compress(bytes(64 * 1024 * 1024), 9), b"/Filter /FlateDecode /Type /ObjStm ")}
    ),
}


@pytest.fixture
def private_dir(settings):
    """Where uploads land: tests/conftest.py gives every test an empty directory of its own."""
    return Path(settings.PRIVATE_MEDIA_ROOT)


def stored_files(directory):
    return {path for path in directory.rglob("*") if path.is_file()}


def forty_megapixels():
    out = io.BytesIO()
    Image.new("RGB", (7296, 5472), (200, 200, 200)).save(out, format="JPEG", quality=60)
    return out.getvalue()


def assert_persian_refusal(response):
    assert response.status_code == 400, response.content
    message = response.json()["file"][0]
    assert any("\u0600" <= character <= "\u06ff" for character in message), message


@pytest.mark.parametrize("content", REFUSED_PDFS.values(), ids=REFUSED_PDFS.keys())
def test_claim_document_with_active_content_is_refused_and_not_stored(world, private_dir, content):
    """issue 13 point 6: through POST /api/v1/claims/{id}/documents/."""
    api = client_for(world["customer"])
    upload = SimpleUploadedFile("policy.pdf", content, content_type="application/pdf")
    before = stored_files(private_dir)

    response = api.post(
        f"/api/v1/claims/{world['claim_id']}/documents/", {"kind": "policy", "file": upload}, format="multipart"
    )

    assert_persian_refusal(response)
    assert not ClaimDocument.objects.filter(claim_id=world["claim_id"]).exists()
    assert stored_files(private_dir) == before


@pytest.mark.parametrize("content", REFUSED_PDFS.values(), ids=REFUSED_PDFS.keys())
def test_policy_document_with_active_content_is_refused_and_not_stored(world, private_dir, content):
    """issue 13 point 6: through POST /api/v1/policies/{id}/document/."""
    api = client_for(world["agent"].user)
    upload = SimpleUploadedFile("policy.pdf", content, content_type="application/pdf")
    before = stored_files(private_dir)

    response = api.post(f"/api/v1/policies/{world['policy_id']}/document/", {"file": upload}, format="multipart")

    assert_persian_refusal(response)
    assert not Policy.objects.get(pk=world["policy_id"]).document
    assert stored_files(private_dir) == before


def test_forty_megapixel_claim_photo_is_refused_and_not_stored(world, private_dir):
    """issue 13 point 6: an oversized photo is a Persian 400 from its header."""
    api = client_for(world["customer"])
    upload = SimpleUploadedFile("photo.jpg", forty_megapixels(), content_type="image/jpeg")
    before = stored_files(private_dir)

    response = api.post(
        f"/api/v1/claims/{world['claim_id']}/documents/", {"kind": "policy", "file": upload}, format="multipart"
    )

    assert_persian_refusal(response)
    assert "مگاپیکسل" in response.json()["file"][0]
    assert not ClaimDocument.objects.filter(claim_id=world["claim_id"]).exists()
    assert stored_files(private_dir) == before


def test_clean_pdf_is_stored_through_the_same_endpoint(world, private_dir):
    """issue 13 point 6: the control: a plain page is accepted and stored as it came."""
    api = client_for(world["customer"])
    content = pdfs.clean_pdf()
    upload = SimpleUploadedFile("policy.pdf", content, content_type="application/pdf")
    before = stored_files(private_dir)

    response = api.post(
        f"/api/v1/claims/{world['claim_id']}/documents/", {"kind": "policy", "file": upload}, format="multipart"
    )

    assert response.status_code == 201, response.content
    document = ClaimDocument.objects.get(claim_id=world["claim_id"])
    [stored] = stored_files(private_dir) - before
    assert stored.read_bytes() == content
    assert document.file.name.endswith(".pdf")

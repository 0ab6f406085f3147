"""The shared private-upload rules (core.uploads)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.uploads import MAX_UPLOAD_BYTES, private_file_response, private_upload_clean
from tests.agents.images import jpeg_bytes, pdf_bytes, png_bytes


def upload(content, name="file.bin", content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def refused_code(content, **kwargs):
    with pytest.raises(ValidationError) as excinfo:
        private_upload_clean(upload(content, **kwargs))
    return excinfo.value.code


def test_png_is_accepted_and_reencoded():
    clean = private_upload_clean(upload(png_bytes(), name="../../etc/passwd.png"))

    assert clean.kind == "png"
    assert clean.content_type == "image/png"
    assert clean.content.name.endswith(".png") and "/" not in clean.content.name
    with Image.open(io.BytesIO(clean.content.read())) as image:
        assert image.size == (40, 30)


def test_jpeg_metadata_is_dropped():
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x0131] = "secret-software"  # Software
    original = jpeg_bytes(exif=exif.tobytes())
    assert b"SpyCam" in original

    clean = private_upload_clean(upload(original, name="photo.jpg"))

    data = clean.content.read()
    assert b"SpyCam" not in data and b"secret-software" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()


def test_pdf_is_accepted_as_is():
    clean = private_upload_clean(upload(pdf_bytes(), name="licence.pdf"))

    assert clean.kind == "pdf"
    assert clean.content.read() == pdf_bytes()


def test_type_comes_from_content_not_name_or_header():
    # A GIF named .png and sent as image/png is still a GIF.
    out = io.BytesIO()
    Image.new("RGB", (5, 5)).save(out, format="GIF")

    assert refused_code(out.getvalue(), name="x.png", content_type="image/png") == "unsupported_type"


def test_html_is_refused():
    assert refused_code(b"<html><body>hi</body></html>", name="x.pdf") == "unsupported_type"


def test_polyglot_png_header_followed_by_html_is_refused():
    polyglot = png_bytes() + b"<html><script>fetch('/api/v1/me/')</script></html>"

    assert refused_code(polyglot, name="licence.png", content_type="image/png") == "active_content"


def test_png_magic_then_html_without_image_data_is_refused():
    polyglot = b"\x89PNG\r\n\x1a\n<!DOCTYPE html><script>alert(1)</script>"

    assert refused_code(polyglot, name="licence.png") == "active_content"


def test_pdf_with_html_is_refused():
    assert refused_code(pdf_bytes() + b"<script>alert(1)</script>", name="x.pdf") == "active_content"


def test_pdf_with_javascript_action_is_refused():
    pdf = pdf_bytes().replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>")

    assert refused_code(pdf, name="x.pdf") == "active_content"


def test_truncated_pdf_is_refused():
    assert refused_code(b"%PDF-1.4\n1 0 obj", name="x.pdf") == "broken_pdf"


def test_broken_png_is_refused():
    assert refused_code(png_bytes()[:40], name="x.png") == "broken_image"


def test_file_over_five_megabytes_is_refused():
    big = pdf_bytes() + b"0" * MAX_UPLOAD_BYTES

    assert refused_code(big, name="x.pdf") == "too_large"


def test_empty_file_is_refused():
    assert refused_code(b"", name="x.png") == "empty"


def test_decompression_bomb_is_refused():
    # A 1-bit PNG of 8000 x 6000: a few kilobytes on disk, 48 megapixels once decoded.
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, format="PNG")

    assert refused_code(out.getvalue(), name="x.png") == "too_many_pixels"


@pytest.mark.django_db
def test_served_file_has_safe_headers():
    name = default_storage.save("test/abc.png", ContentFile(png_bytes()))

    field_file = default_storage.open(name)
    field_file.name = name

    response = private_file_response(field_file, download_name="licence-1")

    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert "licence-1.png" in response["Content-Disposition"]
    assert "sandbox" in response["Content-Security-Policy"]
    response.close()


@pytest.mark.django_db
def test_served_pdf_is_an_attachment():
    name = default_storage.save("test/abc.pdf", ContentFile(pdf_bytes()))
    field_file = default_storage.open(name)
    field_file.name = name

    response = private_file_response(field_file, download_name="licence-1")

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    response.close()

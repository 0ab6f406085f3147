"""Image uploads: decoding is bounded in pixels, so no upload ties up a worker for long
(issue 13 point 6)."""

import io
import struct
import time
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.uploads import MAX_IMAGE_PIXELS, MAX_JPEG_SCANS, private_upload_clean


def clean(content, name="photo.jpg"):
    return private_upload_clean(SimpleUploadedFile(name, content, content_type="application/octet-stream"))


def refusal(content, name="photo.jpg"):
    with pytest.raises(ValidationError) as excinfo:
        clean(content, name)
    return excinfo.value


def jpeg(size, **options):
    """A photo-sized JPEG that encodes fast: a gradient, not noise."""
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    out = io.BytesIO()
    image.save(out, format="JPEG", **options)
    return out.getvalue()


def png_header_only(width, height):
    """A PNG that declares width x height and carries one byte of image data."""

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00")) + chunk(b"IEND", b"")


def test_the_budget_keeps_phone_photos_and_refuses_camera_frames():
    """issue 13 point 6: 25 MP: a 12 MP phone photo and an iPhone's default 24 MP pass."""
    assert 4032 * 3024 < 5712 * 4284 <= MAX_IMAGE_PIXELS < 7296 * 5472
    assert Image.MAX_IMAGE_PIXELS == MAX_IMAGE_PIXELS


def test_twelve_megapixel_phone_photo_is_accepted_at_full_size():
    """issue 13 point 6: a 4032 x 3024 photo is kept whole, re-encoded without its metadata."""
    content = jpeg((4032, 3024), quality=85)

    accepted = clean(content)

    with Image.open(io.BytesIO(accepted.content.read())) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (4032, 3024)
    # the source's own quantisation tables: about the size it came in, not larger
    assert accepted.size <= len(content) * 1.1


def test_forty_megapixel_photo_is_refused_from_its_header_quickly():
    """issue 13 point 6: a 40 MP frame (7296 x 5472) is refused before any decoding: it
    used to cost a worker about a second and a half."""
    content = jpeg((7296, 5472), quality=60)

    started = time.perf_counter()
    error = refusal(content)
    elapsed = time.perf_counter() - started

    assert error.code == "too_many_pixels"
    assert "مگاپیکسل" in error.messages[0]
    assert elapsed < 0.5


def test_decompression_bomb_png_is_refused_with_a_persian_message():
    """issue 13 point 6: a 900-megapixel PNG header (a few bytes) trips Pillow's own guard
    in open(); that error is the same Persian 400, not "broken image"."""
    started = time.perf_counter()
    error = refusal(png_header_only(30_000, 30_000), name="scan.png")

    assert error.code == "too_many_pixels"
    assert time.perf_counter() - started < 0.5


def test_small_bomb_png_just_over_the_budget_is_refused_before_decoding():
    """issue 13 point 6: 26 MP of one colour compresses to kilobytes; refused from the header."""
    out = io.BytesIO()
    Image.new("L", (6000, 4340)).save(out, format="PNG")
    assert len(out.getvalue()) < 100_000

    started = time.perf_counter()
    assert refusal(out.getvalue(), name="scan.png").code == "too_many_pixels"
    assert time.perf_counter() - started < 0.5


def test_jpeg_with_hundreds_of_scans_is_refused_before_decoding():
    """issue 13 point 6: each progressive scan is a pass over the image for the decoder."""
    content = jpeg((64, 48), quality=80, progressive=True)
    last_scan = content.rindex(b"\xff\xda")
    scan = content[last_scan:-2]  # up to the end-of-image marker
    many = content[:-2] + scan * (MAX_JPEG_SCANS + 50) + b"\xff\xd9"

    assert refusal(many).code == "too_many_scans"


def test_progressive_jpeg_with_its_usual_scans_is_accepted():
    """issue 13 point 6: a camera's progressive JPEG (about ten scans) is not refused."""
    content = jpeg((640, 480), quality=80, progressive=True)
    assert 1 < content.count(b"\xff\xda") <= MAX_JPEG_SCANS

    assert clean(content).kind == "jpeg"

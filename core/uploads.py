"""Private uploads: what we accept, how we check it, and how we hand it back.

Every user upload (agent licences now, claim documents later) goes through
`private_upload_clean` and is served only through `private_file_response` from a view
that has already checked permission. The rules:

- JPEG, PNG or PDF only, decided by the bytes, never by the name or the browser's
  Content-Type; at most 5 MB.
- An image must decode with Pillow and is re-encoded from its pixels, so metadata (EXIF
  with GPS, comments, ICC) and anything appended after the image data are dropped.
- A file carrying HTML or script markers is refused outright, whatever its header says:
  a PNG header followed by `<html>` is a polyglot aimed at browsers that sniff.
- A PDF must start with `%PDF-` and carry no active content markers.
- The stored name is random; the original name is never used as a path.
"""

import io
import re
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A licence photo needs a few megapixels; more is a decompression bomb, not a photo.
MAX_IMAGE_PIXELS = 40_000_000

JPEG, PNG, PDF = "jpeg", "png", "pdf"
ALL_KINDS = (JPEG, PNG, PDF)

CONTENT_TYPES = {JPEG: "image/jpeg", PNG: "image/png", PDF: "application/pdf"}
EXTENSIONS = {JPEG: "jpg", PNG: "png", PDF: "pdf"}
_KIND_BY_EXTENSION = {"jpg": JPEG, "jpeg": JPEG, "png": PNG, "pdf": PDF}

_MAGIC = (
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"%PDF-", PDF),
)

# Markers a browser (or a PDF reader) would act on. Matched case-insensitively anywhere
# in the file: legitimate photos and scans never contain them in clear text.
# Each marker is at least five bytes long: compressed image and PDF data is close to
# random, and a shorter marker (say `<a `) would turn up by chance in most large photos.
_ACTIVE_MARKERS = re.compile(
    rb"<(?:html|head|body|script|iframe|object|embed|meta|form)"
    rb"|<(?:svg|img)[\s/>]|<!doctype|<\?php|<\?xml-stylesheet|javascript:|vbscript:|onload=|onerror=",
    re.IGNORECASE,
)
# Names of PDF features that run code or carry other files. Best effort (a name can be
# hex-escaped); the served copy is also downloaded, never rendered in our origin.
_PDF_ACTIVE = re.compile(rb"/(?:JavaScript|Launch|EmbeddedFile|RichMedia|XFA|Encrypt)\b")


@dataclass(frozen=True)
class CleanUpload:
    """A checked upload, ready to save: `content.name` is random, `kind` decided by content."""

    content: ContentFile
    kind: str
    content_type: str
    size: int


def private_storage_name(folder: str, filename: str) -> str:
    """A stored file's name: ours, never the uploader's — a random token plus the extension
    that content sniffing (`private_upload_clean`) decided on. For models' `upload_to`."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{folder}/{uuid.uuid4().hex}.{extension}"


def private_upload_clean(upload, *, kinds=ALL_KINDS, max_bytes=MAX_UPLOAD_BYTES) -> CleanUpload:
    """Check an uploaded file and return a safe copy; ValidationError (Persian) if refused."""
    if upload is None:
        raise ValidationError(_("فایلی انتخاب نشده است."), code="required")
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise _too_large(max_bytes)
    data = _read_limited(upload, max_bytes)
    if not data:
        raise ValidationError(_("فایل خالی است."), code="empty")

    kind = _sniff(data)
    if kind is None or kind not in kinds:
        raise ValidationError(_("فقط فایل‌های JPEG، PNG یا PDF پذیرفته می‌شوند."), code="unsupported_type")
    if _ACTIVE_MARKERS.search(data):
        raise ValidationError(_("محتوای فایل معتبر نیست و پذیرفته نشد."), code="active_content")

    if kind == PDF:
        cleaned = _check_pdf(data)
    else:
        cleaned = _reencode_image(data, kind)
    if len(cleaned) > max_bytes:
        raise _too_large(max_bytes)
    name = f"{uuid.uuid4().hex}.{EXTENSIONS[kind]}"
    return CleanUpload(
        content=ContentFile(cleaned, name=name), kind=kind, content_type=CONTENT_TYPES[kind], size=len(cleaned)
    )


def private_file_response(field_file, *, download_name: str, as_attachment: bool | None = None) -> FileResponse:
    """Serve a stored private file. Call it only after the caller's permission is checked.

    The content type comes from our own extension table (the name was ours to choose),
    `nosniff` stops browsers second-guessing it, and PDFs are downloaded rather than
    rendered inline in our origin.
    """
    extension = field_file.name.rsplit(".", 1)[-1].lower()
    kind = _KIND_BY_EXTENSION.get(extension)
    content_type = CONTENT_TYPES.get(kind, "application/octet-stream")
    if as_attachment is None:
        as_attachment = kind not in (JPEG, PNG)
    filename = f"{download_name}.{EXTENSIONS.get(kind, 'bin')}"
    response = FileResponse(
        field_file.open("rb"), content_type=content_type, as_attachment=as_attachment, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Even if something slipped past the checks, nothing in the file may run or load.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    return response


def _too_large(max_bytes):
    megabytes = max_bytes // (1024 * 1024)
    return ValidationError(_("حجم فایل نباید بیشتر از %(mb)s مگابایت باشد.") % {"mb": megabytes}, code="too_large")


def _read_limited(upload, max_bytes) -> bytes:
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    return data


def _sniff(data: bytes):
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    return None


def _check_pdf(data: bytes) -> bytes:
    if b"%%EOF" not in data[-4096:]:
        raise ValidationError(_("فایل PDF ناقص یا خراب است."), code="broken_pdf")
    if _PDF_ACTIVE.search(data):
        raise ValidationError(
            _("فایل PDF دارای محتوای فعال یا رمزگذاری است؛ نسخه ساده اسکن‌شده را بفرستید."), code="active_content"
        )
    return data


def _reencode_image(data: bytes, kind: str) -> bytes:
    expected_format = "JPEG" if kind == JPEG else "PNG"
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format != expected_format:
                raise ValidationError(_("نوع تصویر با محتوای آن هم‌خوانی ندارد."), code="mismatch")
            # open() read only the header: refuse a decompression bomb before decoding it.
            width, height = probe.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(_("ابعاد تصویر بیش از حد بزرگ است."), code="too_many_pixels")
            probe.verify()
        # verify() leaves the image unusable; decode for real from a fresh handle.
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            # Apply the camera's rotation before EXIF (which carries it) is dropped.
            image = ImageOps.exif_transpose(image)
            if kind == JPEG:
                pixels = image.convert("RGB") if image.mode not in ("RGB", "L") else image.copy()
            else:
                pixels = image.convert("RGBA") if image.mode not in ("RGB", "RGBA", "L", "LA") else image.copy()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("تصویر قابل خواندن نیست یا خراب است."), code="broken_image") from None

    # A bare copy of the pixels: no EXIF, no ICC profile, no text chunks, no trailing bytes.
    pixels.info = {}
    out = io.BytesIO()
    if kind == JPEG:
        pixels.save(out, format="JPEG", quality=90, optimize=True)
    else:
        pixels.save(out, format="PNG", optimize=True)
    return out.getvalue()

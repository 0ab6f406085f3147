"""Private uploads: what we accept, how we check it, and how we hand it back.

Every user upload (agent licences, policy documents and bank letters, claim documents)
goes through `private_upload_clean` and is served only through `private_file_response`
from a view that has already checked permission. The rules:

- JPEG, PNG or PDF only, decided by the bytes, never by the name or the browser's
  Content-Type; at most 5 MB.
- An image is checked from its header before anything decodes it: at most
  MAX_IMAGE_PIXELS (25 MP) and, for a JPEG, at most MAX_JPEG_SCANS scans; an oversized
  image is refused in milliseconds. It must then decode with Pillow and is re-encoded
  from its pixels, so metadata (EXIF with GPS, comments, ICC) and anything appended after
  the image data are dropped.
- A file carrying HTML or script markers is refused outright, whatever its header says:
  a PNG header followed by `<html>` is a polyglot aimed at browsers that sniff.
- A PDF must start with `%PDF-`, end with `%%EOF`, not be encrypted, and carry no
  JavaScript, launch, URI, form-submission or embedded-file names, `#xx`-escaped or
  inside compressed object streams (core.pdf, bounded in what it inflates). It is stored
  as it came: refused, not rewritten.
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

from core.pdf import PdfUnscannable, pdf_active_content

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# The pixel budget, checked from the header before any decoding. Decoding and re-encoding
# cost time and memory in proportion to the pixels (a 24 MP photo: ~0.5 s and ~75 MB of a
# sync worker), so the budget is what a worker can afford per upload: a 12 MP phone photo
# (4032 x 3024) and an iPhone's default 24 MP (5712 x 4284) pass, a 40 MP camera frame
# does not (it is refused in milliseconds, from its header). More is not a document photo.
MAX_IMAGE_PIXELS = 25_000_000
# Pillow's own guard (it warns beyond this and refuses beyond twice this, in open()).
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
# Scans in one JPEG: a camera's progressive JPEG has about ten, a baseline one one.
MAX_JPEG_SCANS = 100

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
# in the file (as a lower-case pattern over a lower-cased copy: eight times faster than
# re.IGNORECASE, ~25 ms a megabyte): legitimate photos and scans never contain them.
# Each marker is at least five bytes long: compressed image and PDF data is close to
# random, and a shorter marker (say `<a `) would turn up by chance in most large photos.
_ACTIVE_MARKERS = re.compile(
    rb"<(?:html|head|body|script|iframe|object|embed|meta|form)"
    rb"|<(?:svg|img)[\s/>]|<!doctype|<\?php|<\?xml-stylesheet|javascript:|vbscript:|onload=|onerror="
)


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
    if kind != PDF:
        # From the header alone, before anything reads the whole file: an oversized image
        # is refused in milliseconds.
        _check_image_header(data, kind)
    if _ACTIVE_MARKERS.search(data.lower()):
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
    try:
        findings = pdf_active_content(data)
    except PdfUnscannable:
        raise ValidationError(
            _(
                "محتوای فشرده فایل PDF بیش از حد بزرگ یا ناخواناست و بررسی نشد؛ "
                "نسخه ساده‌تری (اسکن یا چاپ به PDF) بفرستید."
            ),
            code="unscannable_pdf",
        ) from None
    if findings.encrypted:
        # Encrypted streams are ciphertext to us: nothing inside them can be checked.
        raise ValidationError(
            _("فایل PDF رمزگذاری شده است و بررسی‌شدنی نیست؛ نسخه بدون رمز آن را بفرستید."), code="encrypted_pdf"
        )
    if findings:
        what = [
            label
            for present, label in (
                (findings.code, _("کد اجرایی")),
                (findings.links, _("پیوند")),
                (findings.attachments, _("پیوست")),
            )
            if present
        ]
        raise ValidationError(
            _("فایل PDF شامل %(what)s است و پذیرفته نشد؛ نسخه ساده آن (اسکن یا چاپ به PDF) را بفرستید.")
            % {"what": _(" و ").join(what)},
            code="active_content",
        )
    return data


def _check_image_header(data: bytes, kind: str) -> None:
    """The format and the pixel budget, from the header (Pillow's open() decodes nothing)."""
    expected_format = "JPEG" if kind == JPEG else "PNG"
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format != expected_format:
                raise ValidationError(_("نوع تصویر با محتوای آن هم‌خوانی ندارد."), code="mismatch")
            _check_pixel_budget(probe.size)
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        # Pillow refuses beyond twice Image.MAX_IMAGE_PIXELS on its own, before our check.
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return  # unreadable: the marker scan and the decoding say why, after this
    if kind == JPEG and data.count(b"\xff\xda") > MAX_JPEG_SCANS:
        # Each scan is a pass over the whole image for the decoder: thousands of tiny
        # progressive scans make a small file cost seconds of CPU.
        raise ValidationError(
            _("ساختار تصویر JPEG غیرعادی است؛ عکس را دوباره ذخیره کنید و بفرستید."), code="too_many_scans"
        )


def _reencode_image(data: bytes, kind: str) -> bytes:
    """Decode (within the budget `_check_image_header` has checked) and re-encode the pixels."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        # verify() leaves the image unusable; decode for real from a fresh handle.
        with Image.open(io.BytesIO(data)) as image:
            _check_pixel_budget(image.size)
            image.load()
            # Apply the camera's rotation before EXIF (which carries it) is dropped.
            ImageOps.exif_transpose(image, in_place=True)
            if kind == JPEG:
                pixels = image.convert("RGB") if image.mode not in ("RGB", "L") else image
            else:
                pixels = image.convert("RGBA") if image.mode not in ("RGB", "RGBA", "L", "LA") else image
            # A bare copy of the pixels: no EXIF, no ICC profile, no text chunks, no trailing bytes.
            pixels.info = {}
            out = io.BytesIO()
            # No `optimize`: it doubles the encoding time for a few percent of size. A JPEG
            # keeps its own quantisation tables where it can: no second loss of quality, and
            # the copy stays about the size of the upload (under the size limit it passed).
            if kind == JPEG:
                keep_tables = pixels is image and getattr(image, "quantization", None)
                pixels.save(out, format="JPEG", quality="keep" if keep_tables else 90)
            else:
                pixels.save(out, format="PNG")
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _broken_image() from None
    return out.getvalue()


def _broken_image():
    return ValidationError(_("تصویر قابل خواندن نیست یا خراب است."), code="broken_image")


def _check_pixel_budget(size):
    width, height = size
    if width * height > MAX_IMAGE_PIXELS:
        raise _too_many_pixels()


def _too_many_pixels():
    return ValidationError(
        _("ابعاد تصویر بیش از حد بزرگ است (بیشتر از %(mp)s مگاپیکسل)؛ عکس را کوچک‌تر کنید و دوباره بفرستید.")
        % {"mp": MAX_IMAGE_PIXELS // 1_000_000},
        code="too_many_pixels",
    )

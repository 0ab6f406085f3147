"""Minimal valid PDFs built as bytes, clean or carrying active content, for the upload tests."""

import zlib

PAGE_TEXT = b"BT /F1 18 Tf 72 720 Td (Bimeh Mall policy 1403/0001) Tj ET"


def pdf_document(objects: dict[int, bytes], *, trailer: bytes = b"", version: bytes = b"1.7") -> bytes:
    """A PDF with these objects (number -> body between `obj` and `endobj`), a correct
    cross-reference table and `/Root 1 0 R`."""
    out = bytearray(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    size = max(objects) + 1
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R " % size + trailer + b">>\nstartxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def stream(data: bytes, dictionary: bytes = b"") -> bytes:
    return b"<< /Length %d " % len(data) + dictionary + b">>\nstream\n" + data + b"\nendstream"


def flate_stream(data: bytes, dictionary: bytes = b"") -> bytes:
    return stream(zlib.compress(data), b"/Filter /FlateDecode " + dictionary)


def page_objects(*, catalog_extra: bytes = b"", page_extra: bytes = b"") -> dict[int, bytes]:
    """Catalog, page tree, one page with a line of text, its font and content stream."""
    return {
        1: b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R " + page_extra + b">>",
        4: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        5: flate_stream(PAGE_TEXT),
    }


def clean_pdf() -> bytes:
    """A one-page document with text, an internal "open at page 1" action and an info
    dictionary whose strings hold parentheses and a URL: nothing a reader would run or follow."""
    return pdf_document(
        page_objects(catalog_extra=b"/OpenAction [3 0 R /Fit] /PageMode /UseNone ")
        | {6: b"<< /Title (Policy \\(copy\\) see https://bimehmall.ir/help) /Producer (Scanner 2.1) >>"},
        trailer=b"/Info 6 0 R ",
    )


def pdf_with_catalog(extra: bytes, more: dict[int, bytes] | None = None) -> bytes:
    return pdf_document(page_objects(catalog_extra=extra) | (more or {}))


def pdf_with_page(extra: bytes, more: dict[int, bytes] | None = None) -> bytes:
    return pdf_document(page_objects(page_extra=extra) | (more or {}))


def object_stream(objects: dict[int, bytes], dictionary: bytes = b"") -> bytes:
    """A Flate-compressed object stream (/Type /ObjStm) holding these objects."""
    bodies, header, offset = b"", [], 0
    for number, body in objects.items():
        header.append(b"%d %d" % (number, offset))
        bodies += body + b"\n"
        offset = len(bodies)
    head = b" ".join(header) + b"\n"
    return flate_stream(head + bodies, b"/Type /ObjStm /N %d /First %d " % (len(objects), len(head)) + dictionary)


def pdf_with_object_stream(hidden: dict[int, bytes], *, catalog_extra: bytes) -> bytes:
    """The catalog points at objects that live only in a compressed object stream (10)."""
    return pdf_document(page_objects(catalog_extra=catalog_extra) | {10: object_stream(hidden)})

"""PDF uploads: active content is found through name escapes and compressed object streams
(issue 13 point 6). Every PDF here is built as bytes by tests.core.pdfs."""

import time
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.pdf import MAX_INFLATED_BYTES, inflate_budget, pdf_active_content
from core.uploads import private_upload_clean
from tests.core import pdfs


def clean(content):
    return private_upload_clean(SimpleUploadedFile("document.pdf", content, content_type="application/pdf"))


def refusal(content):
    with pytest.raises(ValidationError) as excinfo:
        clean(content)
    return excinfo.value


JAVASCRIPT_ACTION = b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> "

ACTIVE = {
    "javascript": pdfs.pdf_with_catalog(JAVASCRIPT_ACTION),
    "javascript escaped": pdfs.pdf_with_catalog(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> "),
    "javascript fully escaped": pdfs.pdf_with_catalog(
        b"/OpenAction << /S /#4A#61#76#61#53#63#72#69#70#74 /JS (app.alert(1)) >> "
    ),
    "launch escaped": pdfs.pdf_with_catalog(b"/OpenAction << /S /L#61unch /F (cmd.exe) >> "),
    "uri link": pdfs.pdf_with_page(
        b"/Annots [7 0 R] ",
        {7: b"<< /Type /Annot /Subtype /Link /Rect [0 0 99 20] /A << /S /URI /URI (https://evil.example/) >> >>"},
    ),
    "submit form": pdfs.pdf_with_catalog(b"/OpenAction << /S /SubmitForm /F (https://evil.example/) >> "),
    "remote go-to": pdfs.pdf_with_catalog(b"/OpenAction << /S /GoToR /F (other.pdf) /D [0 /Fit] >> "),
    "embedded file": pdfs.pdf_with_catalog(
        b"/Names << /EmbeddedFiles << /Names [(invoice.exe) 7 0 R] >> >> ",
        {
            7: b"<< /Type /Filespec /F (invoice.exe) /EF << /F 8 0 R >> >>",
            8: pdfs.stream(b"MZ\x90\x00", b"/Type /EmbeddedFile "),
        },
    ),
    "file attachment annotation": pdfs.pdf_with_page(
        b"/Annots [7 0 R] ",
        {7: b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 9 9] /FS << /F (a.exe) >> >>"},
    ),
    # `/EF` alone (no /Type names): a file spec readers still open, found as a short name.
    "embedded file spec, escaped key only": pdfs.pdf_with_catalog(
        b"/AF [7 0 R] ", {7: b"<< /F (a.exe) /#45F << /F 8 0 R >> >>", 8: pdfs.stream(b"MZ")}
    ),
    "xfa form": pdfs.pdf_with_catalog(b"/AcroForm << /Fields [] /XFA 7 0 R >> ", {7: pdfs.stream(b"<xdp/>")}),
    "javascript in a compressed object stream": pdfs.pdf_with_object_stream(
        {20: b"<< /S /JavaScript /JS (app.alert(1)) >>"}, catalog_extra=b"/OpenAction 20 0 R "
    ),
    "escaped javascript key in a compressed object stream": pdfs.pdf_with_object_stream(
        {20: b"<< /S /Named /N /Print /J#53 (app.alert(1)) >>"}, catalog_extra=b"/OpenAction 20 0 R "
    ),
}


@pytest.mark.parametrize("content", ACTIVE.values(), ids=ACTIVE.keys())
def test_pdf_with_active_content_is_refused(content):
    """issue 13 point 6: actions that run code, follow links or carry files are refused,
    whether their names are written plainly, `#xx`-escaped or compressed."""
    error = refusal(content)

    assert error.code == "active_content"
    assert "فایل PDF شامل" in error.messages[0]


def test_the_message_says_what_was_found():
    """issue 13 point 6: the refusal names code, links and attachments in Persian."""
    assert "کد اجرایی" in refusal(ACTIVE["launch escaped"]).messages[0]
    assert "پیوند" in refusal(ACTIVE["uri link"]).messages[0]
    assert "پیوست" in refusal(ACTIVE["embedded file"]).messages[0]


def test_javascript_in_an_object_stream_with_a_png_predictor_is_found():
    """issue 13 point 6: an object stream whose rows are PNG-"Up"-filtered (Predictor 12)
    hides its names from a search of the inflated bytes; they are undone first."""
    body = b"20 0\n<< /S /JavaScript /JS (app.alert(1)) >>\n"
    columns = 8
    body += b" " * (-len(body) % columns)
    rows = [body[i : i + columns] for i in range(0, len(body), columns)]
    filtered, previous = b"", bytes(columns)
    for row in rows:
        filtered += b"\x02" + bytes((byte - above) & 0xFF for byte, above in zip(row, previous, strict=True))
        previous = row
    assert b"JavaScript" not in zlib.compress(filtered) and b"JavaScript" not in filtered
    objstm = pdfs.stream(
        zlib.compress(filtered),
        b"/Type /ObjStm /N 1 /First 5 /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns %d >> " % columns,
    )
    content = pdfs.pdf_document(pdfs.page_objects(catalog_extra=b"/OpenAction 20 0 R ") | {10: objstm})

    assert refusal(content).code == "active_content"


def test_encrypted_pdf_is_refused_with_a_persian_message():
    """issue 13 point 6: an encrypted file cannot be searched; the message asks for an
    unencrypted copy."""
    content = pdfs.pdf_document(
        pdfs.page_objects(), trailer=b"/Encrypt << /Filter /Standard /V 1 /R 2 /O <00> /U <00> /P -4 >> "
    )

    error = refusal(content)

    assert error.code == "encrypted_pdf"
    assert "بدون رمز" in error.messages[0]


def flate_bomb():
    """A 60 KB file whose one object stream inflates to 64 MB of zeros."""
    data = zlib.compress(bytes(64 * 1024 * 1024), 9)
    return pdfs.pdf_document(pdfs.page_objects() | {10: pdfs.stream(data, b"/Filter /FlateDecode /Type /ObjStm ")})


def test_flate_bomb_is_refused_quickly():
    """issue 13 point 6: inflating stops at the budget (30 x the file, at least 4 MB, at
    most 50 MB): a zip bomb is refused, not inflated."""
    content = flate_bomb()
    assert len(content) < 100_000 and inflate_budget(len(content)) < 64 * 1024 * 1024

    started = time.perf_counter()
    error = refusal(content)
    elapsed = time.perf_counter() - started

    assert error.code == "unscannable_pdf"
    assert elapsed < 1.0


def test_inflate_budget_is_bounded():
    """issue 13 point 6: the budget grows with the file but never past 50 MB."""
    assert inflate_budget(10_000) == 4 * 1024 * 1024
    assert inflate_budget(1024 * 1024) == 30 * 1024 * 1024
    assert inflate_budget(5 * 1024 * 1024) == MAX_INFLATED_BYTES == 50 * 1024 * 1024


def test_object_stream_in_a_compression_we_do_not_decode_is_refused():
    """issue 13 point 6: an object stream we cannot read is not waved through."""
    objstm = pdfs.stream(b"\x80\x0b\x60\x50", b"/Type /ObjStm /N 1 /First 4 /Filter /LZWDecode ")
    content = pdfs.pdf_document(pdfs.page_objects() | {10: objstm})

    assert refusal(content).code == "unscannable_pdf"


def test_clean_pdf_with_text_is_accepted_unchanged():
    """issue 13 point 6: a page of text with an "open at page 1" action, strings with
    parentheses and a URL in its info dictionary is not active content."""
    content = pdfs.clean_pdf()

    accepted = clean(content)

    assert accepted.kind == "pdf"
    assert accepted.content.read() == content


def test_short_names_in_binary_image_data_are_not_mistaken_for_actions():
    """issue 13 point 6: `/JS` or `/EF` bytes inside a compressed image are pixels, not
    names; only names of three or more letters are searched inside binary data."""
    image = pdfs.stream(
        b"\xff\xd8\xff\xe0/JS \x00\x13/EF(\x91/3D ",
        b"/Type /XObject /Subtype /Image /Width 1 /Height 1 /BitsPerComponent 8 /ColorSpace /DeviceGray "
        b"/Filter /DCTDecode ",
    )
    content = pdfs.pdf_document(pdfs.page_objects() | {6: image})

    assert not pdf_active_content(content)
    assert clean(content).kind == "pdf"


def test_a_long_name_hidden_in_image_data_is_still_found():
    """issue 13 point 6: a reader that follows the cross-reference offsets can be sent into
    what looks like image data; the long names are searched there too."""
    image = pdfs.stream(
        b"\xff\xd8 20 0 obj << /S /L#61unch /F (cmd.exe) >> endobj",
        b"/Subtype /Image /Width 1 /Height 1 /Filter /DCTDecode ",
    )
    content = pdfs.pdf_document(pdfs.page_objects(catalog_extra=b"/OpenAction 20 0 R ") | {6: image})

    assert refusal(content).code == "active_content"


@pytest.mark.parametrize(
    "filler",
    [b"()", b"%\n", b"/A ", b">stream\nendstream\n"],
    ids=["strings", "comments", "names", "streams"],
)
def test_a_file_built_to_make_the_scanner_loop_is_answered_quickly(filler):
    """issue 13 point 6: the scan runs in regular expressions, with Python once per stream
    and at most 10,000 streams: 5 MB of tiny tokens is answered in well under a second
    (a token-by-token scan took 25 to 45 s)."""
    head, tail = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", b"\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    content = head + filler * ((5 * 1024 * 1024 - 200) // len(filler)) + tail

    started = time.perf_counter()
    try:
        clean(content)
    except ValidationError as error:
        assert error.code == "unscannable_pdf"  # the streams: more than 10,000
    assert time.perf_counter() - started < 2.0

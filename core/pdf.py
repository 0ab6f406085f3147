"""Active content in uploaded PDFs: a bounded scan of the names a reader would act on.

A PDF runs code, opens links or carries other files through dictionary names: an action's
`/S /JavaScript`, `/Launch`, `/URI`; a `/FileAttachment` annotation; an `/EmbeddedFiles`
tree. A name may spell any character as `#xx` (`/J#61vaScript` is `/JavaScript`) and whole
objects may sit inside Flate-compressed object streams, so a plain byte search misses them.
`pdf_active_content` finds them anyway:

- Every name is compared after its `#xx` escapes are decoded.
- The whole file is searched for the names of three or more characters, strings, comments
  and stream data included: a reader that follows the cross-reference table can be sent to
  an object hidden inside what looks like a string or an image, and a name that long turns
  up by chance in compressed data about once in 10^10 bytes.
- Outside stream data the short names (`/JS`, `/EF`, `/3D`) are searched too; inside
  binary data they would match by chance.
- Object streams are decompressed and searched like the file itself; other text streams
  (page contents, forms) are decompressed and searched for the long names. Images and
  fonts are left compressed: they hold no objects, and inflating a scan costs megabytes.
- Decompression is bounded: all inflated streams together may not exceed
  `inflate_budget(file size)`; a file beyond it (a "zip bomb") is refused, not scanned
  further.
- An encrypted file cannot be searched (its object streams are ciphertext): refused.

The scanner refuses; it never rewrites. A refused document is re-sent as a plain copy
("print to PDF" or a scan), which the messages in core.uploads say.
"""

import base64
import re
import zlib
from dataclasses import dataclass

# Object and content streams inflated in one file, together: at most INFLATE_RATIO times
# the file, at least INFLATE_FLOOR_BYTES, never more than MAX_INFLATED_BYTES. Text and
# object streams compress 3 to 10 times (vector drawings up to ~30); a zip bomb compresses
# 1,000 times and is refused after inflating the cap. 50 MB is the most one upload may
# cost a worker (0.8 s measured on the 2-core test machine under load).
MAX_INFLATED_BYTES = 50 * 1024 * 1024
INFLATE_RATIO = 30
INFLATE_FLOOR_BYTES = 4 * 1024 * 1024
# Object streams with PNG row predictors are undone in Python (no numpy here): bounded,
# all streams of one file together.
MAX_PREDICTED_BYTES = 2 * 1024 * 1024

# The names a reader acts on, by what they do. Compared after `#xx` escapes are decoded.
CODE_NAMES = frozenset(
    {"JavaScript", "JS", "Launch", "SubmitForm", "ImportData", "RichMedia", "XFA", "Rendition", "3D", "OnInstantiate"}
)
LINK_NAMES = frozenset({"URI", "GoToR", "GoToE"})
ATTACHMENT_NAMES = frozenset({"EmbeddedFile", "EmbeddedFiles", "EF", "FileAttachment"})
ENCRYPT_NAME = "Encrypt"

# Bytes that end a name: white space and the PDF delimiters.
_DELIMITERS = rb"\x00\t\n\x0c\r ()<>\[\]{}/%"
_NAME = re.compile(rb"/([^" + _DELIMITERS + rb"]*)")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# Where stream data begins: the keyword after a dictionary, then an end of line.
# (The preceding byte is checked in Python: a look-behind first would cost the regex its
# fast literal search, ten times slower over 5 MB.)
_STREAM_KEYWORD = re.compile(rb"stream(?:\r\n|\r|\n)")
_BEFORE_STREAM_KEYWORD = b" \t\r\n\x0c\x00>"
# Streams in one file: a 500-page export has a few thousand.
MAX_STREAMS = 10_000
_OBJ_KEYWORD = re.compile(rb"obj\b")
_INTEGER_AFTER = rb"\s+(\d+)\b(?!\s+\d+\s+R)"

# Streams that hold pixels, glyphs or cross-reference offsets, never objects.
_BINARY_STREAM_NAMES = frozenset(
    {"Image", "XRef", "Metadata", "Length1", "Length2", "Length3", "Type1C", "CIDFontType0C", "OpenType"}
)
_IMAGE_FILTERS = frozenset({"DCTDecode", "DCT", "JPXDecode", "CCITTFaxDecode", "CCF", "JBIG2Decode"})
_INFLATE_CHUNK = 64 * 1024


def _name_pattern(names):
    """A regex matching `/Name` for each of `names`, each character bare or as `#xx`."""

    def spelled(name):
        parts = []
        for character in name:
            escape = "".join(f"[{d.lower()}{d.upper()}]" if d.isalpha() else d for d in f"{ord(character):02X}")
            parts.append(f"(?:{re.escape(character)}|#{escape})")
        return "".join(parts)

    alternatives = "|".join(spelled(name) for name in sorted(names, key=len, reverse=True))
    # The look-ahead on the first character turns most of the slashes away at once.
    first = re.escape("".join(sorted({name[0] for name in names} | {"#"})))
    return re.compile(
        rb"/(?=[" + first.encode() + rb"])(?:" + alternatives.encode() + rb")(?=[" + _DELIMITERS + rb"]|$)"
    )


_WATCHED = CODE_NAMES | LINK_NAMES | ATTACHMENT_NAMES | {ENCRYPT_NAME}
_LONG_NAMES = _name_pattern({name for name in _WATCHED if len(name) >= 3})
_ALL_NAMES = _name_pattern(_WATCHED)


class PdfUnscannable(Exception):
    """The file cannot be searched within the bounds: too much to inflate, or an object
    stream in a compression we do not decode."""


@dataclass(frozen=True)
class PdfFindings:
    names: frozenset

    @property
    def encrypted(self):
        return ENCRYPT_NAME in self.names

    @property
    def code(self):
        return bool(self.names & CODE_NAMES)

    @property
    def links(self):
        return bool(self.names & LINK_NAMES)

    @property
    def attachments(self):
        return bool(self.names & ATTACHMENT_NAMES)

    def __bool__(self):
        return bool(self.names)


def decode_name(raw: bytes) -> str:
    """A name token's text with its `#xx` escapes decoded (`J#61vaScript` -> `JavaScript`)."""
    return _ESCAPE.sub(lambda match: bytes([int(match.group(1), 16)]), raw).decode("latin-1")


def inflate_budget(file_size: int) -> int:
    """How many bytes a file of this size may inflate to, all streams together."""
    return min(MAX_INFLATED_BYTES, max(INFLATE_FLOOR_BYTES, INFLATE_RATIO * file_size))


def pdf_active_content(data: bytes) -> PdfFindings:
    """The watched names found in `data`; PdfUnscannable if it cannot be searched in bounds."""
    scan = _Scan(inflate_budget(len(data)))
    scan.found.update(_found(_LONG_NAMES, data, 0, len(data)))
    scan.walk(data, streams=True)
    return PdfFindings(frozenset(scan.found))


def _found(pattern, text, start, end):
    return {decode_name(match.group()[1:]) for match in pattern.finditer(text, start, end)}


class _Scan:
    def __init__(self, max_inflated):
        self.found = set()
        self.inflate_budget = max_inflated
        self.predictor_budget = MAX_PREDICTED_BYTES

    def walk(self, text, *, streams):
        """Search `text` outside stream data for every watched name; with `streams`, hand
        each stream's data to `stream` instead of reading it as syntax.

        Regular expressions do the work in C: a Python loop per token (to step over strings
        and comments) let a 5 MB file of `()` cost half a minute. So strings and comments
        are searched too; a short name there (`(see /JS)`) refuses the file, which real
        documents do not write. Python runs once per stream, at most MAX_STREAMS times."""
        syntax, resume, streams_seen = [], 0, 0
        if streams:
            for keyword in _STREAM_KEYWORD.finditer(text):
                if keyword.start() < resume or text[keyword.start() - 1] not in _BEFORE_STREAM_KEYWORD:
                    continue  # inside the previous stream's data, or `endstream`
                streams_seen += 1
                if streams_seen > MAX_STREAMS:
                    raise PdfUnscannable("too many streams")
                syntax.append(text[resume : keyword.start()])
                resume = self.stream(text, floor=resume, keyword_start=keyword.start(), data_start=keyword.end())
        syntax.append(text[resume:])
        outside_streams = b"\n".join(syntax)
        self.found.update(_found(_ALL_NAMES, outside_streams, 0, len(outside_streams)))

    def stream(self, text, *, floor, keyword_start, data_start):
        """Look into one stream of the file; return where the syntax resumes after it."""
        dictionary = _stream_dictionary(text, floor, keyword_start)
        names = {decode_name(match.group(1)) for match in _NAME.finditer(dictionary)}
        normalised = _NAME.sub(lambda match: b"/" + decode_name(match.group(1)).encode("latin-1"), dictionary)
        data_end = _stream_data_end(text, data_start, normalised)
        data = text[data_start:data_end]
        filters = _filters(normalised)
        if "ObjStm" in names:
            decoded = self.decode(data, filters, normalised)
            if decoded is None:
                raise PdfUnscannable("object stream in a compression we do not decode")
            self.walk(decoded, streams=False)
        elif not (names & _BINARY_STREAM_NAMES or (filters and set(filters) & _IMAGE_FILTERS)):
            decoded = self.decode(data, filters, normalised)
            if decoded is not None:
                self.found.update(_found(_LONG_NAMES, decoded, 0, len(decoded)))
        return data_end

    def decode(self, data, filters, dictionary):
        """The stream's decoded bytes, or None when a filter is one we do not decode."""
        if filters is None:
            return None
        for filter_name in filters:
            if filter_name in ("FlateDecode", "Fl"):
                data = self.inflate(data)
                predictor = _integer(dictionary, b"Predictor", default=1)
                if predictor >= 10:
                    self.predictor_budget -= len(data)
                    if self.predictor_budget < 0:
                        raise PdfUnscannable("predictor data beyond the bound")
                    data = _undo_png_predictor(data, dictionary)
                elif predictor != 1:
                    return None
            elif filter_name in ("ASCIIHexDecode", "AHx"):
                data = _ascii_hex(data)
            elif filter_name in ("ASCII85Decode", "A85"):
                data = _ascii85(data)
            else:
                return None
            if data is None:
                return None
        return data

    def inflate(self, data):
        """Inflate within the budget left for this file; keep what a broken stream yields."""
        inflater = zlib.decompressobj()
        output = []
        produced = 0
        try:
            for offset in range(0, len(data), _INFLATE_CHUNK):
                pending = data[offset : offset + _INFLATE_CHUNK]
                while pending:
                    piece = inflater.decompress(pending, self.inflate_budget - produced + 1)
                    produced += len(piece)
                    if produced > self.inflate_budget:
                        raise PdfUnscannable("inflates beyond the budget")
                    output.append(piece)
                    pending = inflater.unconsumed_tail
                if inflater.eof:
                    break
        except zlib.error:
            pass  # a reader shows what inflated before the damage; so do we search it
        self.inflate_budget -= produced
        return b"".join(output)


def _stream_dictionary(text, floor, keyword_start):
    """The bytes from the stream's `N G obj` to its `stream` keyword (its dictionary): at
    most the 4 KB before the keyword, never before the previous stream's end (`floor`)."""
    window_start = max(floor, keyword_start - 4096)
    position = keyword_start
    while True:
        position = text.rfind(b"obj", window_start, position)
        if position == -1:
            return text[window_start:keyword_start]
        if _OBJ_KEYWORD.match(text, position) and (position == 0 or not text[position - 1 : position].isalnum()):
            return text[position + 3 : keyword_start]


def _stream_data_end(text, data_start, dictionary):
    """End of the stream's data: its direct /Length when `endstream` follows there, else
    the first `endstream`. Either way, the long-name search has covered the bytes."""
    length = _integer(dictionary, b"Length", default=None)
    if length is not None:
        end = data_start + length
        if text[end : end + 32].lstrip().startswith(b"endstream"):
            return end
    end = text.find(b"endstream", data_start)
    return end if end != -1 else len(text)


def _filters(dictionary):
    """The stream's filter names in order; [] for none; None when not written directly."""
    single = re.search(rb"/Filter\s*/([^" + _DELIMITERS + rb"]+)", dictionary)
    if single:
        return [single.group(1).decode("latin-1")]
    array = re.search(rb"/Filter\s*\[([^\]]*)\]", dictionary)
    if array:
        return [name.decode("latin-1") for name in _NAME_ONLY.findall(array.group(1))]
    return None if b"/Filter" in dictionary else []


_NAME_ONLY = re.compile(rb"/([^" + _DELIMITERS + rb"]+)")


def _integer(dictionary, key, *, default):
    match = re.search(rb"/" + key + rb"(?![^" + _DELIMITERS + rb"])" + _INTEGER_AFTER, dictionary)
    return int(match.group(1)) if match else default


def _undo_png_predictor(data, dictionary):
    """Reverse the PNG row filters (Predictor >= 10) of an object stream. This loop runs in
    Python, so the caller bounds what it is given (MAX_PREDICTED_BYTES a file)."""
    colors = _integer(dictionary, b"Colors", default=1)
    bits = _integer(dictionary, b"BitsPerComponent", default=8)
    columns = _integer(dictionary, b"Columns", default=1)
    pixel_bytes = max(1, colors * bits // 8)
    row_bytes = (colors * bits * columns + 7) // 8
    if not 0 < row_bytes <= len(data):
        return None
    rows, previous = [], bytes(row_bytes)
    for start in range(0, len(data) - row_bytes, row_bytes + 1):
        kind, row = data[start], data[start + 1 : start + 1 + row_bytes]
        if kind == 2:  # "Up", what writers use: one pass over the row pairs
            row = bytes((byte + above) & 0xFF for byte, above in zip(row, previous, strict=False))
        elif kind in (1, 3, 4):
            row = _unfilter_row(kind, bytearray(row), previous, pixel_bytes)
        rows.append(row)
        previous = row
    return b"".join(rows)


def _unfilter_row(kind, row, previous, pixel_bytes):
    for i in range(len(row)):
        left = row[i - pixel_bytes] if i >= pixel_bytes else 0
        up = previous[i]
        up_left = previous[i - pixel_bytes] if i >= pixel_bytes else 0
        if kind == 1:
            row[i] = (row[i] + left) & 0xFF
        elif kind == 3:
            row[i] = (row[i] + (left + up) // 2) & 0xFF
        else:
            estimate = left + up - up_left
            distances = (abs(estimate - left), abs(estimate - up), abs(estimate - up_left))
            row[i] = (row[i] + (left, up, up_left)[distances.index(min(distances))]) & 0xFF
    return bytes(row)


def _ascii_hex(data):
    digits = re.sub(rb"\s", b"", data.split(b">", 1)[0])
    if len(digits) % 2:
        digits += b"0"
    try:
        return bytes.fromhex(digits.decode("ascii"))
    except ValueError:
        return None


def _ascii85(data):
    body = data.split(b"~>", 1)[0]
    body = body[2:] if body.startswith(b"<~") else body
    try:
        return base64.a85decode(re.sub(rb"\s", b"", body))
    except ValueError:
        return None

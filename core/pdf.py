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
- Outside strings, comments and stream data the short names (`/JS`, `/EF`, `/3D`) are
  searched too; inside binary data they would match by chance.
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
# cost a worker (0.2 to 0.5 s on the 2-core test machine).
MAX_INFLATED_BYTES = 50 * 1024 * 1024
INFLATE_RATIO = 30
INFLATE_FLOOR_BYTES = 4 * 1024 * 1024
# Object streams with PNG row predictors are undone in Python (no numpy here): bounded.
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
# Outside strings and comments: a string opens, a comment opens, or stream data begins.
_SPECIAL = re.compile(rb"[(%]|(?<=[\s>])stream(?:\r\n|\r|\n)")
_STRING_PART = re.compile(rb"\\.|[()]", re.DOTALL)
_END_OF_LINE = re.compile(rb"[\r\n]")
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
    return re.compile(rb"/(?:" + alternatives.encode() + rb")(?=[" + _DELIMITERS + rb"]|$)")


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

    def walk(self, text, *, streams):
        """Search `text` outside strings and comments for every watched name; with
        `streams`, hand each stream's data to `stream` instead of reading it as syntax."""
        position, length = 0, len(text)
        while position < length:
            special = _SPECIAL.search(text, position)
            end = special.start() if special else length
            self.found.update(_found(_ALL_NAMES, text, position, end))
            if special is None:
                return
            token = special.group()
            if token == b"(":
                position = _string_end(text, special.end())
            elif token == b"%":
                line_end = _END_OF_LINE.search(text, special.end())
                position = line_end.end() if line_end else length
            elif streams:
                position = self.stream(text, keyword_start=special.start(), data_start=special.end())
            else:
                # An object stream cannot hold streams; read the keyword as syntax.
                position = special.end()

    def stream(self, text, *, keyword_start, data_start):
        """Look into one stream of the file; return where the syntax resumes after it."""
        dictionary = _stream_dictionary(text, keyword_start)
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


def _string_end(text, position):
    """Where a literal string that opened just before `position` closes (nesting counted)."""
    depth = 1
    for match in _STRING_PART.finditer(text, position):
        part = match.group()
        if part == b"(":
            depth += 1
        elif part == b")":
            depth -= 1
            if depth == 0:
                return match.end()
    return len(text)


def _stream_dictionary(text, keyword_start):
    """The bytes from the stream's `N G obj` to its `stream` keyword (its dictionary),
    at most the 4 KB before the keyword."""
    window_start = max(0, keyword_start - 4096)
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
    """Reverse the PNG row filters (Predictor >= 10) of an object stream; None beyond the
    bound (this loop runs in Python: object streams are small, bombs are not)."""
    if len(data) > MAX_PREDICTED_BYTES:
        raise PdfUnscannable("predictor data beyond the bound")
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

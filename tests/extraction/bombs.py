"""Hostile documents, generated on demand (issue 19): none is committed as a blob.

Each builder returns the bytes of a small file that costs a careless reader far more than its
size: a .docx of very many tiny paragraphs, a .docx whose document.xml inflates to ~1.7 GB, a
PDF of 30,000 pages, a PDF page with a huge compressed content stream, flat-<p> HTML and text
on one line. They are built from raw bytes (zip and PDF structures written here) so that
building one costs milliseconds, not what reading it would.
"""

from __future__ import annotations

import struct
import zlib

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b"</Types>"
)
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    b'Target="word/document.xml"/></Relationships>'
)


def _deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def _zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of (name, raw deflate data, crc32, uncompressed size) members, written by hand so
    that a member can be a deflate stream built without inflating it first."""
    out = bytearray()
    central = bytearray()
    for name, raw, crc, size in members:
        encoded = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(raw), size, len(encoded), 0)
        out += encoded + raw
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            8,
            0,
            0,
            crc,
            len(raw),
            size,
            len(encoded),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += encoded
    start = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), start, 0)
    return bytes(out)


def _member(name: str, data: bytes) -> tuple[str, bytes, int, int]:
    return name, _deflate(data), zlib.crc32(data), len(data)


def docx_of(document_xml: bytes) -> bytes:
    """A minimal .docx (what python-docx needs) around `document_xml`."""
    return _zip(
        [
            _member("[Content_Types].xml", _CONTENT_TYPES),
            _member("_rels/.rels", _RELS),
            _member("word/document.xml", document_xml),
        ]
    )


def docx_paragraphs(count: int) -> bytes:
    """A .docx of `count` one-letter paragraphs (100,000 of them: ~50 KB)."""
    body = b"<w:p><w:r><w:t>a</w:t></w:r></w:p>" * count
    return docx_of(f"<w:document {_W}><w:body>".encode() + body + b"</w:body></w:document>")


def docx_inflating(total_bytes: int = 1_700_000_000) -> bytes:
    """A .docx whose document.xml inflates to `total_bytes` of repeated XML (a zip bomb of ~2 MB).

    One 1 MiB chunk is deflated once, ending on a byte boundary with a full flush (no back
    references across chunks), so the same bytes repeated are a valid deflate stream of the
    chunk repeated; the CRC is that of the whole inflated text, so the file is honest.
    """
    head = f"<w:document {_W}><w:body>".encode()
    tail = b"</w:body></w:document>"
    unit = b"<w:p><w:r><w:t>a</w:t></w:r></w:p>"
    chunk = unit * ((1 << 20) // len(unit))
    repeats = max(1, (total_bytes - len(head) - len(tail)) // len(chunk))
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head_raw = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk_raw = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    tail_raw = c.compress(tail) + c.flush()
    raw = head_raw + chunk_raw * repeats + tail_raw
    crc = zlib.crc32(head)
    for _ in range(repeats):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(chunk) * repeats + len(tail)
    return _zip(
        [
            _member("[Content_Types].xml", _CONTENT_TYPES),
            _member("_rels/.rels", _RELS),
            ("word/document.xml", raw, crc, size),
        ]
    )


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of `objects` (object 1 is the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(data: bytes, compress: bool = False) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
_PAGE = (
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
    b"/Resources << /Font << /F1 3 0 R >> >> >>"
)


def pdf_pages(count: int, text: bytes = b"Both sides agreed.") -> bytes:
    """A PDF of `count` pages that share one content stream (30,000 pages: ~1.5 MB)."""
    # 1 catalog, 2 pages, 3 font, 4 content, then the pages.
    content = b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET"
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count %d /Kids [" % count + kids + b"] >>",
        _FONT,
        _stream(content),
    ]
    objects += [_PAGE] * count
    return _pdf(objects)


def pdf_big_page(content_bytes: int = 75_000_000) -> bytes:
    """A one-page PDF whose content stream inflates to `content_bytes` of text operators."""
    op = b"BT /F1 12 Tf 72 720 Td (Both sides agreed to meet again.) Tj ET\n"
    content = op * (content_bytes // len(op))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count 1 /Kids [5 0 R] >>",
        _FONT,
        _stream(content, compress=True),
        _PAGE,
    ]
    return _pdf(objects)


def html_flat_paragraphs(total_bytes: int = 160_000) -> bytes:
    """An HTML page of flat <p> blocks, `total_bytes` long."""
    block = b"<p>The two leaders agreed to strengthen cooperation on energy security.</p>\n"
    body = block * (total_bytes // len(block))
    return b"<html><head><title>Readout</title></head><body>" + body + b"</body></html>"


def text_one_line(total_bytes: int = 1_000_000) -> bytes:
    """`total_bytes` of readout-like text with no line break."""
    sentence = b"Japan will provide support to Ukraine by the end of the year. "
    return b"Readout of the meeting, 3 December 2026\n\n" + sentence * (total_bytes // len(sentence))

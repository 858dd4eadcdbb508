"""Reading documents: encodings, HTML, .docx and .pdf (reading.py), built inside the tests."""

from __future__ import annotations

import io

import pytest

from tracker.extraction import ExtractionError, extract, read_document

READOUT = (
    "Japan-Australia Foreign Ministers’ Telephone Talk\n\nApril 2, 2012\n\n"
    "On April 2, Mr. Koichiro Gemba, Minister for Foreign Affairs of Japan, held a telephone talk with "
    "Hon. Bob Carr, Minister for Foreign Affairs of Australia. The outline is as follows.\n\n"
    "1. The two ministers agreed to continue close cooperation.\n"
    "2. The two ministers exchanged views on the region – including café culture.\n"
)


def test_utf8_text() -> None:
    assert read_document(READOUT.encode("utf-8"), "r.txt").startswith("Japan-Australia")


def test_utf8_with_bom_and_windows_newlines() -> None:
    data = ("\ufeff" + READOUT.replace("\n", "\r\n")).encode("utf-8")
    text = read_document(data, "r.txt")
    assert "\r" not in text and text.startswith("Japan-Australia")


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "latin-1"])
def test_other_encodings_are_detected(encoding: str) -> None:
    body = READOUT.replace("’", "'").replace("–", "-") if encoding == "latin-1" else READOUT
    text = read_document(body.encode(encoding), "r.txt")
    assert "café" in text
    assert extract(text).points[0].kind == "commitment"


def test_binary_and_empty_files_are_refused() -> None:
    with pytest.raises(ExtractionError, match="empty"):
        read_document(b"   \n", "r.txt")
    with pytest.raises(ExtractionError, match=r"binary|could not be decoded"):
        read_document(bytes(range(256)) * 20, "r.txt")
    with pytest.raises(ExtractionError, match="binary"):
        read_document(b"%PDF-1.4 not really", "r.txt")


HTML = """<!DOCTYPE html>
<html><head>
<title>Japan-Australia Foreign Ministers' Telephone Talk | Ministry of Foreign Affairs</title>
</head>
<body>
<header><div class="logo">Ministry of Foreign Affairs</div></header>
<nav class="gnav"><ul><li><a href="/">Home</a></li><li><a href="/policy">Foreign Policy</a></li></ul></nav>
<div id="breadcrumbs">Home &gt; Countries &gt; Australia</div>
<main>
<h1>Japan-Australia Foreign Ministers' Telephone Talk</h1>
<p>April 2, 2012</p>
<p>On April 2, Mr. Koichiro Gemba, Minister for Foreign Affairs of Japan, held a telephone talk with
Hon. Bob Carr, Minister for Foreign Affairs of Australia. The outline is as follows.</p>
<ol class="article-list">
<li>1. The two ministers agreed to continue close cooperation.</li>
<li>2. The two ministers exchanged views on the region.</li>
</ol>
<div class="share-buttons">Tweet Share</div>
<p>Back to Japan-Australia Relations</p>
</main>
<aside class="sidebar">Related links</aside>
<footer>Copyright Ministry of Foreign Affairs. Sitemap. Contact us.</footer>
<script>var x = 1;</script>
</body></html>"""


def test_html_keeps_the_article_and_drops_the_furniture() -> None:
    text = read_document(HTML.encode("utf-8"), "page.html")
    assert text.splitlines()[0] == "Japan-Australia Foreign Ministers' Telephone Talk"
    for furniture in ("Foreign Policy", "Home >", "Tweet", "Copyright", "Related links", "var x", "Back to"):
        assert furniture not in text
    readout = extract(text)
    assert [p.kind for p in readout.points] == ["commitment", "exchange"]
    assert readout.commitments[0].parties == ["Japan", "Australia"]


def test_docx() -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for paragraph in READOUT.split("\n\n"):
        for line in paragraph.split("\n"):
            document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    text = read_document(buffer.getvalue(), "readout.docx")
    readout = extract(text)
    assert len(readout.points) == 2
    assert readout.points[0].commitments[0].quote == "The two ministers agreed to continue close cooperation"


def _tiny_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a real text layer, written by hand (no PDF writer needed)."""
    ops = ["BT", "/F1 10 Tf", "12 TL", "40 800 Td"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"({escaped}) Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def test_pdf_with_a_text_layer() -> None:
    lines = [
        "Japan-Australia Foreign Ministers' Telephone Talk",
        "",
        "April 2, 2012",
        "",
        "On April 2, Mr. Koichiro Gemba, Minister for Foreign Affairs of Japan, held a telephone talk",
        "with Hon. Bob Carr, Minister for Foreign Affairs of Australia. The outline is as follows.",
        "",
        "1. The two ministers agreed to continue close cooperation.",
        "2. The two ministers exchanged views on the region.",
    ]
    text = read_document(_tiny_pdf(lines), "readout.pdf")
    assert "agreed to continue close cooperation" in text
    readout = extract(text)
    assert [p.kind for p in readout.points] == ["commitment", "exchange"]


def test_pdf_without_text_is_refused() -> None:
    with pytest.raises(ExtractionError, match="text layer"):
        read_document(_tiny_pdf([]), "scan.pdf")
    with pytest.raises(ExtractionError, match="PDF"):
        read_document(b"%PDF-1.4 garbage", "broken.pdf")

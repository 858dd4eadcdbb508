"""Reading documents into plain text: text in any common encoding, HTML pages, .docx and .pdf."""

from __future__ import annotations

import io
import re
import warnings

from tracker.extraction.errors import ExtractionError

_HTML_SUFFIXES = (".html", ".htm", ".xhtml")
# Page furniture that is never part of a readout's article.
_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "button",
    "menu",
)
_DROP_HINTS = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|navigation|menu|breadcrumbs?|footer|header|sidebar|share|social|sns|"
    r"cookie|banner|skip|pagetop|page-top|related|topicpath|gnav|lnav|subnav|masthead)(?:$|[-_\s])",
    re.IGNORECASE,
)
_BLOCK_TAGS = (
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "br",
    "section",
    "article",
    "ul",
    "ol",
    "table",
    "blockquote",
)


def read_document(data: bytes, filename: str) -> str:
    """Plain text of a readout document, chosen by the file's extension."""
    if not data or not data.strip():
        raise ExtractionError(f"{filename}: the file is empty")
    name = filename.lower()
    if name.endswith(".docx"):
        return _read_docx(data, filename)
    if name.endswith(".pdf"):
        return _read_pdf(data, filename)
    text = _decode(data, filename)
    if name.endswith(_HTML_SUFFIXES) or (
        not name.endswith(".txt") and re.search(r"<html|<body|<p[\s>]", text[:2000], re.I)
    ):
        return _read_html(text, filename)
    return _normalise(text)


def _decode(data: bytes, filename: str) -> str:
    if data.startswith(b"%PDF") or data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ExtractionError(
            f"{filename}: this is a binary document (PDF, Word or zip); save it with its own extension"
        )
    if (
        b"\x00" in data
        and not data.startswith((b"\xff\xfe", b"\xfe\xff"))
        and data.count(b"\x00") > len(data) // 50
    ):
        # UTF-16 without a BOM is rare; runs of NULs otherwise mean a binary file.
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ExtractionError(f"{filename}: this is a binary file, not text") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ExtractionError(f"{filename}: the bytes could not be decoded as text in any common encoding")
    text = str(best)
    if _control_share(text) > 0.05:
        raise ExtractionError(f"{filename}: this looks like a binary file, not text")
    return text


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    return bad / len(text)


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\ufeff", "")
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n" if text.strip() else ""


def _read_html(html: str, filename: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for tag in soup(list(_DROP_TAGS)):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed if hasattr(tag, "decomposed") else False:
            continue
        attrs = getattr(tag, "attrs", None)
        if not attrs:
            continue
        hint = " ".join(
            [*(attrs.get("class") or []), str(attrs.get("id") or ""), str(attrs.get("role") or "")]
        )
        if hint.strip() and _DROP_HINTS.search(hint) and tag.name not in ("body", "html", "main", "article"):
            tag.decompose()
    root = (
        soup.find("article")
        or soup.find("main")
        or soup.find(id=re.compile("main|content", re.I))
        or soup.body
        or soup
    )
    title = None
    h1 = root.find("h1") if hasattr(root, "find") else None
    if h1 is None and soup.title and soup.title.string:
        title = soup.title.string.strip()
    for br in root.find_all("br"):
        br.replace_with("\n")
    for block in root.find_all(_BLOCK_TAGS):
        block.insert_before("\n")
        block.insert_after("\n")
    text = root.get_text()
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text)
    kept = [ln for ln in text.split("\n") if not re.match(r"^(?:back\s+to\b|page\s+top\b)", ln, re.I)]
    text = "\n".join(kept)
    if title:
        text = title + "\n\n" + text.strip()
    text = _normalise(text)
    if not text:
        raise ExtractionError(f"{filename}: the page has no article text")
    return text


def _read_docx(data: bytes, filename: str) -> str:
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several unrelated types on a bad file
        raise ExtractionError(f"{filename}: not a readable .docx file ({exc.__class__.__name__})") from exc
    paragraphs: list[str] = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if text and "List Number" in style:
            text = f"{len([p for p in paragraphs if p.startswith(tuple('0123456789'))]) + 1}. {text}"
        elif text and "List" in style:
            text = f"- {text}"
        paragraphs.append(text)
    text = _normalise("\n\n".join(p for p in paragraphs if p))
    if not text:
        raise ExtractionError(f"{filename}: the document has no text")
    return text


def _read_pdf(data: bytes, filename: str) -> str:
    try:
        from pypdf import PdfReader

        with warnings.catch_warnings():
            # pypdf warns about harmless oddities of real-world PDFs.
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # pypdf raises many error types on a damaged file
        raise ExtractionError(f"{filename}: not a readable PDF ({exc.__class__.__name__})") from exc
    text = _normalise("\n\n".join(pages))
    if not text:
        raise ExtractionError(f"{filename}: the PDF has no text layer (a scan?); it needs OCR first")
    return text

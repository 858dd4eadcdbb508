"""Reading documents into plain text: text in any common encoding, HTML pages, .docx and .pdf."""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from typing import Any

from tracker.extraction.errors import ExtractionError
from tracker.extraction.limits import DEFAULT_LIMITS, ReadingLimits, over

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


def read_document(data: bytes, filename: str, limits: ReadingLimits = DEFAULT_LIMITS) -> str:
    """Plain text of a readout document, chosen by the file's extension; ExtractionError for a
    file that cannot be read or is over one of `limits`."""
    if not data or not data.strip():
        raise ExtractionError(f"{filename}: the file is empty")
    name = filename.lower()
    if name.endswith(".docx"):
        text = _read_docx(data, filename, limits)
    elif name.endswith(".pdf"):
        text = _read_pdf(data, filename, limits)
    else:
        text = _decode(data, filename)
        if name.endswith(_HTML_SUFFIXES) or (
            not name.endswith(".txt") and re.search(r"<html|<body|<p[\s>]", text[:2000], re.I)
        ):
            text = _read_html(text, filename)
        else:
            text = _normalise(text)
    check_characters(text, limits, filename)
    return text


def check_characters(text: str, limits: ReadingLimits, filename: str = "the readout") -> None:
    """ExtractionError when `text` is longer than a readout may be."""
    if len(text) > limits.max_characters:
        raise ExtractionError(
            f"{filename}: {over('the text has', len(text), 'characters', limits.max_characters)}"
        )


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
    # Line by line: re.sub(r"[ \t]+\n") is quadratic on a long run of blanks not ending a line.
    text = "\n".join(line.rstrip(" \t") for line in text.split("\n"))
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
    text = _block_text(root)
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


def _block_text(root: Any) -> str:
    """The text under `root` with a line break around every block and at every <br>.

    One walk over the tree: inserting the breaks into the tree (Tag.insert_before) looks each
    block up among its siblings, quadratic on a page of flat <p> blocks (160 KB: 70 s)."""
    from bs4 import CData, NavigableString, Tag

    parts: list[str] = []
    end_of_block = object()
    stack: list[Any] = [root]
    while stack:
        node = stack.pop()
        if node is end_of_block:
            parts.append("\n")
        elif isinstance(node, Tag):
            if node.name == "br":
                parts.append("\n")
                continue
            if node.name in _BLOCK_TAGS:
                parts.append("\n")
                stack.append(end_of_block)
            stack.extend(reversed(node.contents))
        elif type(node) in (NavigableString, CData):
            # What get_text() reads: text, not comments, doctypes or processing instructions.
            parts.append(str(node))
    return "".join(parts)


def _check_zip(data: bytes, filename: str, limits: ReadingLimits) -> None:
    """Refuse a .docx whose parts inflate too far, from the zip's directory, before any is opened.

    The sizes are the ones the zip declares; Python's zipfile never inflates a part past its
    declared size, so a lying directory cannot get round them."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ExtractionError(f"{filename}: not a readable .docx file ({exc.__class__.__name__})") from exc
    total = sum(m.file_size for m in members)
    if total > limits.max_docx_inflated_bytes:
        raise ExtractionError(
            f"{filename}: {over('this document inflates to', total, 'bytes', limits.max_docx_inflated_bytes)}"
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 1_000_000 and ratio > limits.max_zip_ratio:
            # Small parts may compress far (a few repeated tags); only big ones can be bombs.
            raise ExtractionError(
                f"{filename}: its part {member.filename} is compressed {ratio:,.0f} times; "
                f"the limit is {limits.max_zip_ratio:,}"
            )


def _read_docx(data: bytes, filename: str, limits: ReadingLimits) -> str:
    _check_zip(data, filename, limits)
    try:
        import docx
        from docx.oxml.ns import qn
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
    except MemoryError:
        raise  # not a bad file: the worker's memory limit (tracker.isolation) says so
    except Exception as exc:  # python-docx raises several unrelated types on a bad file
        raise ExtractionError(f"{filename}: not a readable .docx file ({exc.__class__.__name__})") from exc
    # Counted on the parsed XML, before python-docx makes an object of each paragraph.
    body = document.element.body
    elements = list(body.iterchildren(qn("w:p")))
    if len(elements) > limits.max_docx_paragraphs:
        raise ExtractionError(
            f"{filename}: {over('this document has', len(elements), 'paragraphs', limits.max_docx_paragraphs)}"  # noqa: E501
        )
    paragraphs: list[str] = []
    characters = 0
    numbered = 0
    for element in elements:
        paragraph = Paragraph(element, document)
        text = paragraph.text.strip()
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if text and "List Number" in style:
            numbered += 1
            text = f"{numbered}. {text}"
        elif text and "List" in style:
            text = f"- {text}"
        elif text and text.startswith(tuple("0123456789")):
            numbered += 1  # a number typed by hand counts, as it did before
        paragraphs.append(text)
        characters += len(text)
        if characters > limits.max_characters:
            raise ExtractionError(
                f"{filename}: the text has more than {limits.max_characters:,} characters; "
                f"the limit is {limits.max_characters:,}"
            )
    text = _normalise("\n\n".join(p for p in paragraphs if p))
    if not text:
        raise ExtractionError(f"{filename}: the document has no text")
    return text


def _declared_pages(reader: Any) -> int:
    """The /Count of the PDF's page tree, 0 when it has none that is a number."""
    count = reader.trailer["/Root"]["/Pages"].get("/Count", 0)
    return int(count) if isinstance(count, int) else 0


def _read_pdf(data: bytes, filename: str, limits: ReadingLimits) -> str:
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import LimitReachedError

    pages: list[str] = []
    characters = 0
    try:
        # pypdf's own decoding limits, set to ours: a page's content stream may not inflate past
        # the limit (pypdf's default is 75 MB, which a page of text operators takes minutes to read).
        with (
            apply_configuration(
                zlib_maximum_output_length=limits.max_pdf_page_bytes,
                lzw_maximum_output_length=limits.max_pdf_page_bytes,
                run_length_maximum_output_length=limits.max_pdf_page_bytes,
                maximum_declared_stream_length=limits.max_pdf_page_bytes,
                stream_decoding_work_maximum_length=limits.max_pdf_page_bytes * 4,
                page_tree_maximum_entries=limits.max_pdf_pages + 100,
            ),
            warnings.catch_warnings(),
        ):
            # pypdf warns about harmless oddities of real-world PDFs.
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            # The page tree's own count, read before pypdf walks the tree to list the pages
            # (a lying count is caught by pypdf's page-tree limit, set above).
            count = _declared_pages(reader)
            if count > limits.max_pdf_pages:
                raise ExtractionError(
                    f"{filename}: {over('this document has', count, 'pages', limits.max_pdf_pages)}"
                )
            for page in reader.pages:
                text = page.extract_text() or ""
                characters += len(text)
                if characters > limits.max_characters:
                    raise ExtractionError(
                        f"{filename}: the text has more than {limits.max_characters:,} characters; "
                        f"the limit is {limits.max_characters:,}"
                    )
                pages.append(text)
    except ExtractionError:
        raise
    except LimitReachedError as exc:
        raise ExtractionError(
            f"{filename}: this PDF is over a reading limit ({exc}); the limits are "
            f"{limits.max_pdf_pages:,} pages and {limits.max_pdf_page_bytes:,} bytes of content a page"
        ) from exc
    except MemoryError:
        raise  # not a bad file: the worker's memory limit (tracker.isolation) says so
    except Exception as exc:  # pypdf raises many error types on a damaged file
        raise ExtractionError(f"{filename}: not a readable PDF ({exc.__class__.__name__})") from exc
    text = _normalise("\n\n".join(pages))
    if not text:
        raise ExtractionError(f"{filename}: the PDF has no text layer (a scan?); it needs OCR first")
    return text

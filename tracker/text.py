"""Characters that XML 1.0 cannot hold, cleaned at the edges (issue 19, item 4).

A note pasted from Word can hold U+000B (Word's own soft line break); python-docx refuses any
such character, so one note made the Word brief a 500 for everyone until it changed. What comes
in (notes, outcome notes, readout titles and text) is cleaned before it is stored, and the .docx
writer cleans what it writes, so that rows stored before this cannot break it either.
"""

from __future__ import annotations

import re

# C0 controls but tab, line feed and carriage return; lone surrogates; the two non-characters.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Word's soft line break (vertical tab) and its page break (form feed) are line breaks.
_BREAKS = frozenset("\x0b\x0c")


def xml_safe(text: str) -> str:
    """`text` with every character XML cannot hold replaced by one that it can, one for one (so
    offsets into it stay valid): a vertical tab or form feed by a line break, the rest by U+FFFD."""
    if not _XML_INVALID.search(text):
        return text
    return _XML_INVALID.sub(lambda m: "\n" if m.group() in _BREAKS else "\ufffd", text)


def one_line(text: str) -> str:
    """`text` made XML-safe, with its line breaks as spaces: for titles and names."""
    return re.sub(r"[\r\n]+", " ", xml_safe(text))

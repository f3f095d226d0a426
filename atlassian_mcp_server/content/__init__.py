"""Content conversion: Markdown <-> ADF, Confluence storage -> Markdown, section edits.

Markdown conventions (both directions; `adf_to_markdown(markdown_to_adf(md))` is stable):

- Mentions: ``[@Jane Doe](accountid:557058:f00...)``: a link whose target is ``accountid:`` plus
  the Atlassian account id. The label is the mention text.
- Dates: ``[2024-03-01](date:2024-03-01)``; the target may also be epoch milliseconds
  (``date:1709251234567``). Only the target counts; the label is for reading.
- Status lozenges: ``[IN PROGRESS](status:blue)``; colours neutral, purple, blue, red, yellow,
  green or ``#rrggbb``.
- Panels: a block quote whose first line is ``[!INFO]``, ``[!NOTE]``, ``[!TIP]``, ``[!WARNING]``,
  ``[!ERROR]``, ``[!SUCCESS]`` or ``[!CUSTOM]`` (GitHub's ``[!CAUTION]`` and ``[!IMPORTANT]`` are
  read as error and warning). Expands: ``> [!EXPAND] Title`` then the body.
- Task lists: ``- [ ] to do`` and ``- [x] done``; decisions: ``- <> decided text``.
- Smart links: ``<https://...>`` (an autolink) is an inline card; ``[text](url)`` is a link.
- Media: ``![alt](media:ID?collection=C)`` for an attachment, ``![alt](https://...)`` for an
  external image; an image alone in a paragraph is a media single, several are a media group.
- Line breaks: a newline inside a paragraph is a hard break (``\\`` alone keeps an empty line);
  in table cells and headings a hard break is ``<br>``. No other HTML is interpreted: ``<b>``
  arrives as the text ``<b>``.
- Tables: GFM tables; a table without a header row gets an empty one, which is dropped on the
  way back.
- Placeholders: nodes without a Markdown form read as `<!--adf:ID what-->` (wrappers close with
  `<!--/adf:ID-->`); `write_back(markdown, current)` restores them and everything else Markdown
  cannot say from the document the Markdown was read from (see keep.py and restore.py).
- Links Atlassian would refuse stay text; reference-style links are resolved; emphasis beside
  punctuation may spell a neighbouring letter as a character reference.
"""

from .adf_to_md import adf_to_markdown
from .keep import ids_in as placeholders_in
from .md_to_adf import markdown_to_adf
from .md_to_storage import markdown_to_storage
from .restore import refusal, write_back
from .schema import validate_adf
from .sections import replace_section_adf, replace_section_storage
from .storage import storage_to_markdown

__all__ = [
    "adf_to_markdown",
    "markdown_to_adf",
    "markdown_to_storage",
    "placeholders_in",
    "refusal",
    "replace_section_adf",
    "replace_section_storage",
    "storage_to_markdown",
    "validate_adf",
    "write_back",
]

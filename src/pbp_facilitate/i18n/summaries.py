"""The papermill summaries: headings, sentences, table headers, chart labels: English and Spanish.

Keys start with ``summaries.`` so they never collide with another area's.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {},
    "es": {},
}

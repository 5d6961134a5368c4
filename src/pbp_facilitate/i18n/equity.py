"""The equity lens (dimension names, gap sentences, display tables): English and Spanish.

Keys start with ``equity.`` so they never collide with another area's.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {},
    "es": {},
}

"""The goal checker: criterion names, reasons, suggestions: English and Spanish.

Keys start with ``goals.`` so they never collide with another area's.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {},
    "es": {},
}

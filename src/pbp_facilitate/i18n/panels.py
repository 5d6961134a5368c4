"""Facilitator panels (the equity panel and the dashboard widgets): English and Spanish.

Keys start with ``panels.`` so they never collide with another area's.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {},
    "es": {},
}

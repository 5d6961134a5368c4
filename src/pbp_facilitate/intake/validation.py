"""Server-side checks of participant input: form bodies, idea text, keys, votes.

Nothing here touches the database. Text is validated on its NFC form but the
text as typed is what gets stored.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Mapping
from urllib.parse import parse_qsl

from ..errors import ValidationError

__all__ = [
    "FormData",
    "parse_form",
    "check_idea_text",
    "nfc_length",
    "new_form_key",
    "check_form_key",
    "new_participant_key",
    "is_participant_key",
    "normalise_code",
    "parse_ballot",
    "MAX_FIELDS",
]

MAX_FIELDS = 200
_FORM_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_PARTICIPANT_KEY = re.compile(r"^[A-Za-z0-9_-]{22,64}$")
_CODE_STRIP = re.compile(r"[\s\-_.]+")
_CODE_OK = re.compile(r"^[A-Z0-9]{1,12}$")


class FormData:
    """A parsed ``application/x-www-form-urlencoded`` body: field name → list of values."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs
        self._by: dict[str, list[str]] = {}
        for k, v in pairs:
            self._by.setdefault(k, []).append(v)

    def get(self, name: str, default: str | None = None) -> str | None:
        """Return the first value of ``name`` or ``default``."""
        values = self._by.get(name)
        return values[0] if values else default

    def getlist(self, name: str) -> list[str]:
        """Return every value of ``name`` (checkbox groups)."""
        return list(self._by.get(name, []))

    def names(self) -> list[str]:
        """Return the field names in order of first appearance."""
        return list(self._by)

    def as_arguments(self) -> dict[str, list[bytes]]:
        """Return the fields in Tornado's ``request.arguments`` shape (UTF-8 bytes)."""
        return {k: [v.encode("utf-8") for v in vs] for k, vs in self._by.items()}


def parse_form(body: bytes, content_type: str | None) -> FormData:
    """Parse a form body strictly.

    Parameters
    ----------
    body : bytes
        The raw request body.
    content_type : str or None
        The request's ``Content-Type`` header.

    Raises
    ------
    ValidationError
        ``code="content_type"`` for anything but urlencoded forms,
        ``code="utf8"`` when a value is not valid UTF-8 (or the body is not
        ASCII as urlencoding requires), ``code="fields"`` for too many fields.
    """
    ctype = (content_type or "").split(";")[0].strip().lower()
    if ctype not in ("application/x-www-form-urlencoded", ""):
        raise ValidationError(
            f"Expected a form body (application/x-www-form-urlencoded), got {ctype!r}; send the "
            f"page's form.",
            code="content_type",
        )
    try:
        text = body.decode("ascii")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            "The form body is not URL-encoded text; send the page's form.", code="utf8"
        ) from exc
    try:
        pairs = parse_qsl(
            text,
            keep_blank_values=True,
            strict_parsing=False,
            encoding="utf-8",
            errors="strict",
            max_num_fields=MAX_FIELDS,
        )
    except UnicodeDecodeError as exc:
        raise ValidationError(
            "A form value is not valid UTF-8 text; reload the page and type it again.", code="utf8"
        ) from exc
    except ValueError as exc:
        raise ValidationError(
            f"The form has more than {MAX_FIELDS} fields; send the page's form.", code="fields"
        ) from exc
    return FormData(pairs)


def nfc_length(text: str) -> int:
    """Return the number of code points of ``text`` after NFC normalisation.

    A browser sends a typed line break as CR LF; it counts as one character,
    as the page's counter shows it.
    """
    return len(unicodedata.normalize("NFC", text.replace("\r\n", "\n")))


def check_idea_text(text: str | None, limit: int) -> str:
    """Validate an idea and return it unchanged (as typed).

    Parameters
    ----------
    text : str or None
        The text from the form.
    limit : int
        Largest allowed length in code points after NFC normalisation.

    Raises
    ------
    ValidationError
        ``code="empty"`` when missing or only whitespace (including NUL and
        other invisible format characters), ``code="too_long"`` over the
        limit, ``code="surrogate"`` for lone surrogates and ``code="nul"``
        for NUL characters (neither is storable everywhere).
    """
    if text is None:
        raise ValidationError(
            "Expected an idea in field 'text', got nothing.", field="text", code="empty"
        )
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        raise ValidationError(
            "The idea contains characters that are not valid text; type it again.",
            field="text",
            code="surrogate",
        )
    if "\x00" in text:
        raise ValidationError(
            "The idea contains a NUL character, which cannot be stored; type it again.",
            field="text",
            code="nul",
        )
    visible = "".join(
        c for c in text if not (c.isspace() or unicodedata.category(c) in ("Cc", "Cf", "Zs"))
    )
    if not visible:
        raise ValidationError(
            "Expected some text in the idea, got only whitespace.", field="text", code="empty"
        )
    n = nfc_length(text)
    if n > limit:
        raise ValidationError(
            f"Expected at most {limit} characters, got {n}.", field="text", code="too_long"
        )
    return text


def new_form_key() -> str:
    """Return a fresh idempotency key for one form (URL-safe, 128 bits)."""
    return secrets.token_urlsafe(16)


def check_form_key(value: str | None) -> str:
    """Return ``value`` if it looks like a key from :func:`new_form_key`, else raise
    ValidationError.
    """
    if value is None or not _FORM_KEY.match(value):
        raise ValidationError(
            "The form key is missing or malformed; reload the page.", field="idem", code="form_key"
        )
    return value


def new_participant_key() -> str:
    """Return a fresh random pseudonymous participant key."""
    return secrets.token_urlsafe(18)


def is_participant_key(value: str | None) -> bool:
    """Tell whether ``value`` has the shape of a participant key."""
    return bool(value) and bool(_PARTICIPANT_KEY.match(value or ""))


def normalise_code(value: str | None) -> str:
    """Turn what a participant typed into a session code (upper case, no spaces or dashes).

    Returns an empty string when nothing usable was typed; the caller shows
    the "type the code" message. Raises ValidationError for characters no
    code contains.
    """
    if value is None:
        return ""
    code = _CODE_STRIP.sub("", unicodedata.normalize("NFKC", value)).upper()
    if not code:
        return ""
    if not _CODE_OK.match(code):
        raise ValidationError(
            f"A session code has letters and digits only, got {value[:40]!r}.",
            field="code",
            code="bad_code",
        )
    return code


def parse_ballot(form: Mapping[str, str], option_ids: list[int], dots: int) -> dict[int, int]:
    """Read ``dots_<option id>`` fields into ``{option id: dots}``.

    Raises
    ------
    ValidationError
        ``code="vote_invalid"`` for a value that is not a whole number in
        ``0..dots``; ``code="vote_too_many"`` when the sum exceeds ``dots``.
    """
    out: dict[int, int] = {}
    for oid in option_ids:
        raw = (form.get(f"dots_{oid}") or "0").strip() or "0"
        if not raw.isascii() or not raw.isdigit() or len(raw) > 4:
            raise ValidationError(
                f"Expected a whole number of dots for option {oid}, got {raw[:20]!r}.",
                field=f"dots_{oid}",
                code="vote_invalid",
            )
        n = int(raw)
        if n > dots:
            raise ValidationError(
                f"Too many dots for option {oid}: expected at most {dots}, got {n}.",
                field=f"dots_{oid}",
                code="vote_invalid",
            )
        if n:
            out[oid] = n
    used = sum(out.values())
    if used > dots:
        raise ValidationError(
            f"Too many dots in all: expected at most {dots}, got {used}.",
            field="dots",
            code="vote_too_many",
        )
    return out

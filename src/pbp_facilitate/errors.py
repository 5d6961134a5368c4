"""The kit's exceptions: one base class, a few subclasses.

Every message says what was expected, what came, and what to do, in the
style of papermill's errors. The CLI turns any :class:`PbpError` into
``Error: <message>`` and exit status 1.
"""

from __future__ import annotations

__all__ = [
    "PbpError",
    "ConfigError",
    "SurveyError",
    "ImportFormatError",
    "ValidationError",
    "NotFoundError",
    "StoreError",
    "StoreFullError",
    "ClosedError",
    "ConflictError",
]


class PbpError(Exception):
    """Base class of every error the kit raises on purpose."""


class ConfigError(PbpError):
    """A setting has a value the kit cannot use."""


class SurveyError(PbpError):
    """A survey definition file is invalid (the message names file and line)."""


class ImportFormatError(PbpError):
    """An import file cannot be read as any supported format."""


class ValidationError(PbpError):
    """Input from a participant or facilitator breaks a rule.

    Parameters
    ----------
    message : str
        Readable explanation.
    field : str, optional
        Name of the form field the error belongs to.
    code : str, optional
        Short machine-readable code (``"empty"``, ``"too_long"``...).
    """

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.field = field
        self.code = code


class NotFoundError(PbpError):
    """A session, prompt, submission or goal does not exist."""


class ClosedError(PbpError):
    """The session or prompt is closed to new input."""


class ConflictError(PbpError):
    """Someone else changed the same data first (e.g. the themes); read it again and retry."""


class StoreError(PbpError):
    """The database could not complete an operation."""


class StoreFullError(StoreError):
    """The database is out of space; nothing was written."""

"""Which columns of a survey export identify people (private) or describe the response (metadata).

One list per family, written from each tool's documented export columns (Google Forms,
Microsoft Forms, SurveyMonkey old and new, Qualtrics, SurveyGizmo/Alchemer, Typeform, Polis,
Wenjuanxing). Headers are compared after :func:`normalise_header` (case, accents, punctuation and
spacing ignored; ``RecipientEmail`` is split into ``recipient email`` first).

* **private** (never stored, not even through a mapping): IP addresses, e-mail addresses,
  names and user names, contact details (phone, postal address, SurveyMonkey's ``Contact
  Information [...]`` sub-columns), recipient fields, external references, geolocation and user
  agents.
* **metadata** (never stored, reported as ignored): timestamps, durations, ids, status and
  progress, collectors, channels, languages, scores, tags.
* **response id**: the column whose value names one response in every download of the same survey
  (``Response ID``, ``Respondent ID``, ``ResponseId``, Typeform's ``#``, Microsoft's ``ID``,
  Wenjuanxing's ``序号``).
"""

from __future__ import annotations

import re

from ..text import fold_key

__all__ = [
    "normalise_header",
    "is_private",
    "is_metadata",
    "private_family",
    "is_response_id",
    "is_time_column",
    "time_rank",
]

_PUNCT_RE = re.compile(r"[\W_]+", re.UNICODE)
_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def normalise_header(text: str) -> str:
    """Return ``text`` folded (:func:`~pbp_facilitate.text.fold_key`), punctuation as spaces,
    trimmed.

    >>> normalise_header("  ¿Qué impide HOY ese futuro? ")
    'que impide hoy ese futuro'
    """
    return " ".join(_PUNCT_RE.sub(" ", fold_key(text)).split())


def _split(header: str) -> str:
    """``normalise_header`` after splitting camel case (``RecipientEmail``: ``recipient email``)."""
    return normalise_header(_CAMEL_RE.sub(" ", header))


def _n(*names: str) -> frozenset[str]:
    return frozenset(h for h in (normalise_header(n) for n in names) if h)


_PRIVATE_EXACT = {
    "ip": _n(
        "IP",
        "IP Address",
        "IPAddress",
        "IP地址",
        "来自IP",
        "Dirección IP",
        "Direccion IP",
        "User IP",
    ),
    "email": _n(
        "Email",
        "E-mail",
        "Email Address",
        "E-mail Address",
        "Correo",
        "Correo electrónico",
        "Dirección de correo electrónico",
        "Recipient Email",
        "邮箱",
        "电子邮件",
    ),
    "name": _n(
        "Name",
        "Nombre",
        "Nombres",
        "Apellido",
        "Apellidos",
        "Full name",
        "First Name",
        "Last Name",
        "FirstName",
        "LastName",
        "Your name",
        "Username",
        "User name",
        "Recipient First Name",
        "Recipient Last Name",
        "Nombre completo",
        "姓名",
        "名字",
        "用户名",
        "微信昵称",
        "Respondent",
        "Responder",
    ),
    "contact": _n(
        "Phone",
        "Phone number",
        "Phone Number",
        "Teléfono",
        "Telefono",
        "Mobile",
        "Cell phone",
        "Address",
        "Address 2",
        "Street address",
        "Dirección",
        "City/Town",
        "State/Province",
        "ZIP/Postal Code",
        "ZIP",
        "Zip code",
        "Postal",
        "Postal Code",
        "Código postal",
        "Company",
        "Contact ID",
        "External Reference",
        "External Data Reference",
        "手机",
        "手机号",
        "电话",
        "地址",
    ),
    "location": _n(
        "Latitude",
        "Longitude",
        "Location Latitude",
        "Location Longitude",
        "Country",
        "City",
        "State/Region",
        "Region",
        "来源地区",
        "来自IP所在地",
    ),
    "device": _n(
        "User Agent", "UserAgent", "Referer", "Referrer", "Session ID", "SessionID", "Network ID"
    ),
}
_PRIVATE_PATTERNS = {
    "ip": re.compile(r"^(your |user )?ip( address)?\b|\bip address$|\bip$"),
    "email": re.compile(
        r"^(your |recipient )?e ?mail\b|^(su )?(direccion de )?correo\b|\be ?mail$"
    ),
    "name": re.compile(
        r"^(your |recipient |respondent )?(full |first |last |user ?)?name( optional)?$"
        r"|^(su )?nombre( completo)?( opcional)?$|^(su )?apellidos?$"
    ),
    "contact": re.compile(
        r"^contact information\b|^informacion de contacto\b|^datos de contacto\b"
        r"|^(your |mobile |cell )*phone\b|^(su )?telefono\b|^(home |postal |street )address\b"
        r"|\[(name|email address|phone number|address|address 2|city town|state province"
        r"|zip postal code|country|company)\]$"
    ),
}
# SurveyMonkey writes the question text above its sub-columns: ``Contact Information [Email
# Address]``; the sub-label alone marks the family.
_SUB_RE = re.compile(r"\[([^\]]+)\]\s*$")

_METADATA_EXACT = _n(
    "Timestamp",
    "Marca temporal",
    "Marca de tiempo",
    "ID",
    "Id",
    "#",
    "Respondent ID",
    "RespondentID",
    "Collector ID",
    "CollectorID",
    "Response ID",
    "ResponseId",
    "ResponseID",
    "Submission ID",
    "Network ID",
    "Start time",
    "Completion time",
    "Last modified time",
    "Start Date",
    "End Date",
    "StartDate",
    "EndDate",
    "Recorded Date",
    "RecordedDate",
    "Start Date (UTC)",
    "Submit Date (UTC)",
    "Stage Date (UTC)",
    "Time Started",
    "Date Submitted",
    "Status",
    "Progress",
    "Duration (in seconds)",
    "Duration",
    "Finished",
    "Distribution Channel",
    "DistributionChannel",
    "User Language",
    "UserLanguage",
    "Response Type",
    "Response Set",
    "Stage",
    "Tags",
    "Ending",
    "Legacy Comments",
    "Score",
    "Total points",
    "Quiz feedback",
    "Language",
    "Idioma",
    "Submitted at",
    "Submitted",
    "Hora de inicio",
    "Hora de finalización",
    "Hora de la última modificación",
    "Created at",
    "Date",
    "Time",
    "Datetime",
    "Fecha",
    "Q_RecaptchaScore",
    "Q_RelevantIDDuplicate",
    "Q_RelevantIDDuplicateScore",
    "Q_RelevantIDFraudScore",
    "Q_RelevantIDLastStartDate",
    "Q_BallotBoxStuffing",
    "序号",
    "编号",
    "提交答卷时间",
    "所用时间",
    "来源",
    "来源详情",
    "总分",
    # Polis comments.csv
    "timestamp",
    "datetime",
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
)
_METADATA_PATTERNS = (
    re.compile(r"^custom data( \d+)?$"),
    re.compile(r"^(points|feedback) .+$"),
    re.compile(r"^q (recaptcha|relevantid|ballotbox)"),
    re.compile(r"^(start|end|submit|stage) date( utc)?$"),
)

_RESPONSE_ID = _n(
    "Response ID",
    "ResponseId",
    "ResponseID",
    "Respondent ID",
    "RespondentID",
    "Submission ID",
    "#",
    "ID",
    "Id",
    "序号",
    "编号",
)
_TIME_NAMES = (
    "Timestamp",
    "Marca temporal",
    "Marca de tiempo",
    "Completion time",
    "Hora de finalización",
    "Start time",
    "Hora de inicio",
    "End Date",
    "EndDate",
    "RecordedDate",
    "Recorded Date",
    "Submit Date (UTC)",
    "Date Submitted",
    "Start Date",
    "StartDate",
    "Start Date (UTC)",
    "Time Started",
    "提交答卷时间",
    "created_at",
    "Submitted at",
    "Submitted",
    "Date",
    "Fecha",
)
_TIME_LIST = [h for h in (normalise_header(n) for n in _TIME_NAMES) if h]
_TIME = frozenset(_TIME_LIST)


def private_family(header: str) -> str | None:
    """Return the private family of a column (``ip``, ``email``, ``name``, ``contact``,
    ``location``, ``device``), or None when the header names no personal data.

    >>> private_family("RecipientEmail"), private_family("来自IP")
    ('email', 'ip')
    >>> private_family("Contact Information [Email Address]")
    'contact'
    """
    forms = {normalise_header(header), _split(header)}
    sub = _SUB_RE.search(header)
    if sub:
        forms.add(normalise_header(sub.group(1)))
    for family, names in _PRIVATE_EXACT.items():
        if forms & names:
            return family
    for h in forms:
        for family, pattern in _PRIVATE_PATTERNS.items():
            if pattern.search(h):
                return family
    return None


def is_private(header: str) -> bool:
    """Return True for columns holding personal data (IP, e-mail, names, contact details)."""
    return private_family(header) is not None


def is_metadata(header: str) -> bool:
    """Return True for columns that identify respondents or describe the response, never ideas.

    Private columns (:func:`is_private`) count as metadata too: neither is ever stored.
    """
    if is_private(header):
        return True
    for h in (normalise_header(header), _split(header)):
        if h in _METADATA_EXACT or any(p.search(h) for p in _METADATA_PATTERNS):
            return True
    return header.strip() == "#"


def is_response_id(header: str) -> bool:
    """Return True for a column that names one response in every download (``Response ID``...)."""
    return header.strip() == "#" or normalise_header(header) in _RESPONSE_ID


def is_time_column(header: str) -> bool:
    """Return True for a column holding the response's time (``Timestamp``, ``Submit Date``...)."""
    return time_rank(header) is not None


_TIME_ORDER = {h: i for i, h in enumerate(sorted(_TIME, key=lambda h: _TIME_LIST.index(h)))}


def time_rank(header: str) -> int | None:
    """Rank of a time column, lower first: when the response was submitted beats when it began."""
    for h in (normalise_header(header), _split(header)):
        if h in _TIME_ORDER:
            return _TIME_ORDER[h]
    return None

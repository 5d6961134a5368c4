"""Participant profiles: consent, and demographic answers kept only with consent."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from ..clock import utcnow_iso
from ..errors import ValidationError
from ..surveys import Survey
from . import schema as t
from .audit import touch
from .sessions import SessionsMixin

__all__ = ["ParticipantsMixin"]


def _clean_demographics(survey: Survey, demographics: Mapping[str, Any]) -> dict[str, Any]:
    """Validate answers against the survey's questions; drop empty ones."""
    clean: dict[str, Any] = {}
    for key, value in demographics.items():
        if value in (None, "", []):
            continue
        q = survey.question(key)
        if q is None:
            raise ValidationError(f"Unknown demographic question {key!r}.", field=key)
        allowed = {o.value for o in q.options}
        values = value if isinstance(value, list) else [value]
        if not q.multiple and len(values) > 1:
            raise ValidationError(f"Question {key!r} takes one answer.", field=key)
        bad = [v for v in values if v not in allowed]
        if bad:
            raise ValidationError(f"{bad[0]!r} is not an option of {key!r}.", field=key)
        clean[key] = values if q.multiple else values[0]
    return clean


class ParticipantsMixin(SessionsMixin):
    """Consent and demographics per participant (needs the session's survey)."""

    def save_profile(
        self,
        session_id: int,
        participant_key: str,
        *,
        consented: bool,
        demographics: Mapping[str, Any] | None = None,
    ) -> None:
        """Record a participant's consent and, only if consented, their demographic answers.

        Values are validated against the session's survey questions. Without
        consent no demographic value is stored (any stored before is erased).
        """
        session = self.get_session(session_id)
        clean = _clean_demographics(session.survey, demographics or {}) if consented else {}
        now = utcnow_iso()
        p = t.participant_profiles
        values = {
            "consented": bool(consented),
            "consent_at": now if consented else None,
            "demographics_json": json.dumps(clean, ensure_ascii=False),
            "updated_at": now,
        }

        def tx(conn: sa.Connection) -> None:
            touch(conn, session_id)
            n = conn.execute(
                p.update()
                .where(p.c.session_id == session_id, p.c.participant_key == participant_key)
                .values(**values)
            ).rowcount
            if n == 0:
                conn.execute(
                    p.insert().values(
                        session_id=session_id, participant_key=participant_key, **values
                    )
                )

        self._run_write(tx)

    def participants_frame(self, session_id: int) -> Any:
        """Return one row per participant: ``participant_key``, ``consented``, each question.

        Participants who submitted without a profile appear with ``consented=False``
        and no values ("not shared"). Values of non-consented rows are always empty.
        """
        import pandas as pd

        session = self.get_session(session_id)
        p, s = t.participant_profiles, t.submissions

        def q(conn: sa.Connection) -> tuple[list[Any], list[Any]]:
            profs = conn.execute(sa.select(p).where(p.c.session_id == session_id)).all()
            keys = conn.execute(
                sa.select(s.c.participant_key)
                .where(s.c.session_id == session_id, s.c.participant_key.is_not(None))
                .distinct()
            ).all()
            return profs, keys

        profs, keys = self._run_read(q)
        dims = [qq.key for qq in session.survey.demographics]
        rows: dict[str, dict[str, Any]] = {}
        for r in profs:
            data = json.loads(r.demographics_json) if r.consented else {}
            rows[r.participant_key] = {
                "participant_key": r.participant_key,
                "consented": bool(r.consented),
                **{d: data.get(d) for d in dims},
            }
        for (k,) in keys:
            rows.setdefault(
                k, {"participant_key": k, "consented": False, **{d: None for d in dims}}
            )
        return pd.DataFrame(list(rows.values()), columns=["participant_key", "consented", *dims])

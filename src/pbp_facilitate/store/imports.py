"""Survey imports: ideas, new prompts and consented demographics of one file in ONE transaction.

An import is all or nothing: the prompts it creates (kind ``imported``, closed to live
participants), its ideas (deduplicated by idempotency key, so a re-download adds only new
responses), the demographic answers of respondents (only when the import records that the survey
collected consent) and one ``imports`` row with that consent flag are committed together.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ..clock import new_id, utcnow_iso
from ..errors import StoreError, ValidationError
from . import schema as t
from .audit import audit, touch
from .checks import SOURCES, check_storable_text
from .participants import ParticipantsMixin, _clean_demographics

__all__ = ["ImportsMixin", "ImportItem", "ImportWrite"]

IMPORTED_KIND = "imported"


@dataclass(frozen=True)
class ImportItem:
    """One idea of an import, addressed by prompt key (the prompt may be created by the import)."""

    text: str
    prompt_key: str
    idempotency_key: str
    language: str | None = None
    source: str = "survey"
    participant_key: str | None = None
    created_at: str | None = None
    hidden: bool = False


@dataclass
class ImportWrite:
    """What :meth:`ImportsMixin.write_import` (or its dry run) found and wrote."""

    added: int = 0
    already_present: int = 0
    present_keys: set[str] = field(default_factory=set)
    prompts_created: list[str] = field(default_factory=list)
    profiles_saved: int = 0
    import_id: int | None = None


def _present(conn: sa.Connection, session_id: int, keys: Sequence[str], chunk: int) -> set[str]:
    s = t.submissions
    present: set[str] = set()
    for i in range(0, len(keys), chunk):
        found = conn.execute(
            sa.select(s.c.idempotency_key, s.c.session_id).where(
                s.c.idempotency_key.in_(keys[i : i + chunk])
            )
        ).all()
        for key, sid in found:
            if sid != session_id:
                raise ValidationError(
                    f"Idempotency key {key!r} belongs to another session.",
                    field="idempotency_key",
                )
            present.add(key)
    return present


class ImportsMixin(ParticipantsMixin):
    """Writing survey imports and reading their records."""

    def present_import_keys(
        self, session_id: int, keys: Iterable[str], *, chunk: int = 500
    ) -> set[str]:
        """Return which of ``keys`` are already stored in the session (for dry runs)."""
        keys = list(keys)
        return self._run_read(lambda conn: _present(conn, session_id, keys, chunk))

    def write_import(
        self,
        session_id: int,
        items: Iterable[ImportItem],
        *,
        new_prompts: Mapping[str, Mapping[str, str]] | None = None,
        profiles: Mapping[str, Mapping[str, Any]] | None = None,
        demographics_consented: bool = False,
        record: Mapping[str, Any] | None = None,
        responses: Mapping[str, Sequence[str]] | None = None,
        actor: str = "import",
        chunk: int = 500,
    ) -> ImportWrite:
        """Store an import in ONE transaction; return what was added.

        Parameters
        ----------
        session_id : int
            Target session.
        items : iterable of ImportItem
            The ideas; those whose idempotency key is stored already are counted, not written.
        new_prompts : mapping, optional
            Prompt key -> ``{language: text}`` for prompts to create (kind ``imported``, closed)
            unless the session has them already.
        profiles : mapping, optional
            Participant key -> demographic answers, validated against the session's survey.
            Written only with ``demographics_consented``; refused otherwise.
        demographics_consented : bool
            The survey asked respondents' consent to keep these answers (recorded).
        record : mapping, optional
            ``file``, ``format``, ``sha256`` and any detail, kept in ``imports`` and the audit log.
        responses : mapping, optional
            Response identity -> the idempotency keys of its ideas; a response with a key not
            stored yet counts as added (``imports.responses_added``).

        Raises
        ------
        ValidationError
            For bad text, sources, unknown prompt keys or demographic values, or profiles
            without consent.
        StoreError
            When the database refuses the write (nothing is saved).
        """
        items = list(items)
        for it in items:
            if it.source not in SOURCES:
                raise ValidationError(f"Unknown source {it.source!r}.", field="source")
            check_storable_text(it.text)
            if not it.idempotency_key:
                raise ValidationError("Every imported idea needs an idempotency key.", field="text")
        profiles = dict(profiles or {})
        if profiles and not demographics_consented:
            raise ValidationError(
                "Demographic answers of an import are stored only when the survey collected "
                "consent (demographics_consented).",
                field="demographics",
            )
        session = self.get_session(session_id)
        clean = {k: _clean_demographics(session.survey, v) for k, v in profiles.items()}
        rec = dict(record or {})
        s, p = t.submissions, t.prompts

        def tx(conn: sa.Connection) -> ImportWrite:
            touch(conn, session_id)
            out = ImportWrite()
            rows = conn.execute(
                sa.select(p.c.id, p.c.key, p.c.position).where(p.c.session_id == session_id)
            ).all()
            ids = {r.key: r.id for r in rows}
            position = max((r.position for r in rows), default=-1) + 1
            for key, text in (new_prompts or {}).items():
                if key in ids:
                    continue
                for v in text.values():
                    check_storable_text(v, field="prompt")
                ids[key] = conn.execute(
                    p.insert().values(
                        session_id=session_id,
                        position=position,
                        key=key,
                        kind=IMPORTED_KIND,
                        text_json=json.dumps(dict(text), ensure_ascii=False),
                        is_open=False,
                    )
                ).inserted_primary_key[0]
                position += 1
                out.prompts_created.append(key)
            keys = [it.idempotency_key for it in items]
            out.present_keys = _present(conn, session_id, keys, chunk)
            now = utcnow_iso()
            seen = set(out.present_keys)
            values: list[dict[str, Any]] = []
            for it in items:
                if it.idempotency_key in seen:
                    continue
                seen.add(it.idempotency_key)
                if it.prompt_key not in ids:
                    raise ValidationError(
                        f"Prompt {it.prompt_key!r} is not part of this session.", field="prompt"
                    )
                values.append(
                    {
                        "id": new_id(),
                        "session_id": session_id,
                        "prompt_id": ids[it.prompt_key],
                        "text": it.text,
                        "language": it.language,
                        "source": it.source,
                        "participant_key": it.participant_key,
                        "created_at": it.created_at or now,
                        "hidden": bool(it.hidden),
                        "idempotency_key": it.idempotency_key,
                    }
                )
            for i in range(0, len(values), chunk):
                conn.execute(s.insert(), values[i : i + chunk])
            out.added = len(values)
            out.already_present = len(items) - len(values)
            pp = t.participant_profiles
            for pkey, demo in clean.items():
                vals = {
                    "consented": True,
                    "consent_at": now,
                    "demographics_json": json.dumps(demo, ensure_ascii=False),
                    "updated_at": now,
                }
                n = conn.execute(
                    pp.update()
                    .where(pp.c.session_id == session_id, pp.c.participant_key == pkey)
                    .values(**vals)
                ).rowcount
                if n == 0:
                    conn.execute(
                        pp.insert().values(session_id=session_id, participant_key=pkey, **vals)
                    )
                out.profiles_saved += 1
            detail = {k: v for k, v in rec.items() if k not in ("file", "format", "sha256")}
            out.import_id = conn.execute(
                t.imports.insert().values(
                    session_id=session_id,
                    at=now,
                    file=str(rec.get("file", "")),
                    format=str(rec.get("format", "")),
                    sha256=str(rec.get("sha256", "")),
                    demographics_consented=bool(demographics_consented),
                    responses_added=sum(
                        1
                        for ks in (responses or {}).values()
                        if any(k not in out.present_keys for k in ks)
                    ),
                    ideas_added=out.added,
                    detail_json=json.dumps(detail, ensure_ascii=False, default=str),
                )
            ).inserted_primary_key[0]
            audit(
                conn,
                session_id,
                actor,
                "import",
                None,
                {
                    "added": out.added,
                    "prompts_created": out.prompts_created,
                    "profiles": out.profiles_saved,
                    "demographics_consented": bool(demographics_consented),
                    **rec,
                },
            )
            return out

        try:
            return self._run_write(tx)
        except sa.exc.IntegrityError as exc:
            raise StoreError(
                f"The database refused the import ({str(exc.orig).splitlines()[0]}); nothing was "
                f"saved. If another import of the same file ran at the same time, run this import "
                f"again."
            ) from exc

    def list_imports(self, session_id: int) -> list[dict[str, Any]]:
        """Return the session's imports, oldest first (file, format, consent flag, counts)."""
        i = t.imports
        rows = self._run_read(
            lambda c: c.execute(
                sa.select(i).where(i.c.session_id == session_id).order_by(i.c.id)
            ).all()
        )
        return [
            {
                "id": r.id,
                "at": r.at,
                "file": r.file,
                "format": r.format,
                "sha256": r.sha256,
                "demographics_consented": bool(r.demographics_consented),
                "responses_added": r.responses_added,
                "ideas_added": r.ideas_added,
                "detail": json.loads(r.detail_json or "{}"),
            }
            for r in rows
        ]

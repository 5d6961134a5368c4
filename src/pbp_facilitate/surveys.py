"""Survey definitions: prompts in several languages and optional demographic questions.

A survey is a YAML file::

    key: visioning
    title: {en: Community visioning, es: Visión comunitaria}
    languages: [en, es]
    prompts:
      - key: vision
        kind: vision            # vision | barriers | assets | priorities | custom
        text: {en: "...", es: "..."}
    demographics:               # optional; asked only after explicit consent
      - key: race_ethnicity
        label: {en: "...", es: "..."}
        options:
          - {value: Hispanic or Latino, label: {en: Hispanic or Latino, es: Hispano o latino}}

:func:`load_survey` validates the file and reports errors with file and line.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import SurveyError

__all__ = [
    "Survey",
    "Prompt",
    "DemographicQuestion",
    "Option",
    "load_survey",
    "parse_survey",
    "PROMPT_KINDS",
]

PROMPT_KINDS = ("vision", "barriers", "assets", "priorities", "custom")
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
_LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


@dataclass(frozen=True)
class Option:
    """One answer option of a demographic question."""

    value: str
    label: dict[str, str]


@dataclass(frozen=True)
class DemographicQuestion:
    """A demographic question with census-style categories."""

    key: str
    label: dict[str, str]
    options: tuple[Option, ...]
    multiple: bool = False


@dataclass(frozen=True)
class Prompt:
    """A prompt participants answer, with its text per language."""

    key: str
    kind: str
    text: dict[str, str]


@dataclass(frozen=True)
class Survey:
    """A validated survey definition."""

    key: str
    title: dict[str, str]
    languages: tuple[str, ...]
    prompts: tuple[Prompt, ...]
    demographics: tuple[DemographicQuestion, ...] = field(default_factory=tuple)

    def to_json(self) -> str:
        """Serialise to JSON (stored with each session as its snapshot of the survey)."""
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Survey:
        """Rebuild a survey written by :meth:`to_json`."""
        d = json.loads(text)
        return cls(
            key=d["key"],
            title=d["title"],
            languages=tuple(d["languages"]),
            prompts=tuple(Prompt(**p) for p in d["prompts"]),
            demographics=tuple(
                DemographicQuestion(
                    key=q["key"],
                    label=q["label"],
                    options=tuple(Option(**o) for o in q["options"]),
                    multiple=q.get("multiple", False),
                )
                for q in d.get("demographics", [])
            ),
        )

    def question(self, key: str) -> DemographicQuestion | None:
        """Return the demographic question ``key`` or None."""
        return next((q for q in self.demographics if q.key == key), None)


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers the line of every mapping."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = _LineDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


class _LineDict(dict):
    line: int = 0


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _Validator:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, node: Any, what: str) -> SurveyError:
        line = getattr(node, "line", 0)
        where = f"{self.source}, line {line}" if line else self.source
        return SurveyError(f"{where}: {what}")

    def mapping(self, node: Any, what: str, parent: Any) -> dict[str, Any]:
        if not isinstance(node, dict):
            raise self.fail(parent, f"{what} must be a mapping, got {type(node).__name__}.")
        return node

    def key(self, node: dict[str, Any], name: str, what: str) -> str:
        value = node.get(name)
        if not isinstance(value, str) or not _KEY_RE.match(value):
            raise self.fail(
                node,
                f"{what} '{name}' must be a lowercase identifier like 'race_ethnicity', got "
                f"{value!r}.",
            )
        return value

    def texts(
        self, node: dict[str, Any], name: str, languages: tuple[str, ...], what: str
    ) -> dict[str, str]:
        value = node.get(name)
        if isinstance(value, str) and len(languages) == 1:
            value = {languages[0]: value}
        if not isinstance(value, dict):
            raise self.fail(
                node,
                f"{what} '{name}' must map each language {list(languages)} to text, got {value!r}.",
            )
        missing = [
            lang
            for lang in languages
            if not isinstance(value.get(lang), str) or not value[lang].strip()
        ]
        if missing:
            raise self.fail(
                value if getattr(value, "line", 0) else node,
                f"{what} '{name}' has no text for language(s) {missing}; add a non-empty "
                f"entry for each of {list(languages)}.",
            )
        return {lang: value[lang].strip() for lang in languages}


def parse_survey(text: str, source: str = "<survey>") -> Survey:
    """Parse and validate survey YAML.

    Parameters
    ----------
    text : str
        The YAML document.
    source : str
        Name used in error messages (usually the file path).

    Returns
    -------
    Survey

    Raises
    ------
    SurveyError
        With the file, the line and what is wrong.
    """
    try:
        doc = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark else ""
        raise SurveyError(
            f"{source}{line}: not valid YAML ({getattr(exc, 'problem', exc)})."
        ) from exc
    v = _Validator(source)
    if not isinstance(doc, dict):
        raise SurveyError(
            f"{source}: expected a YAML mapping with key, title, languages and prompts; got "
            f"{type(doc).__name__}."
        )
    key = v.key(doc, "key", "Survey")
    langs = doc.get("languages", ["en"])
    if (
        not isinstance(langs, list)
        or not langs
        or not all(isinstance(x, str) and _LANG_RE.match(x) for x in langs)
    ):
        raise v.fail(
            doc, f"'languages' must be a list of language codes like [en, es], got {langs!r}."
        )
    languages = tuple(langs)
    title = v.texts(doc, "title", languages, "Survey")
    raw_prompts = doc.get("prompts")
    if not isinstance(raw_prompts, list) or not raw_prompts:
        raise v.fail(doc, "'prompts' must be a non-empty list of prompts (key, kind, text).")
    prompts: list[Prompt] = []
    seen: set[str] = set()
    for raw in raw_prompts:
        p = v.mapping(raw, "Each prompt", doc)
        pkey = v.key(p, "key", "Prompt")
        if pkey in seen:
            raise v.fail(p, f"Prompt key {pkey!r} appears twice; prompt keys must be unique.")
        seen.add(pkey)
        kind = p.get("kind", "custom")
        if kind not in PROMPT_KINDS:
            raise v.fail(
                p, f"Prompt {pkey!r} has kind {kind!r}; expected one of {list(PROMPT_KINDS)}."
            )
        prompts.append(
            Prompt(key=pkey, kind=kind, text=v.texts(p, "text", languages, f"Prompt {pkey!r}"))
        )
    questions: list[DemographicQuestion] = []
    raw_demo = doc.get("demographics") or []
    if not isinstance(raw_demo, list):
        raise v.fail(doc, "'demographics' must be a list of questions.")
    qseen: set[str] = set()
    for raw in raw_demo:
        q = v.mapping(raw, "Each demographic question", doc)
        qkey = v.key(q, "key", "Demographic question")
        if qkey in qseen:
            raise v.fail(q, f"Demographic question {qkey!r} appears twice.")
        qseen.add(qkey)
        label = v.texts(q, "label", languages, f"Question {qkey!r}")
        raw_opts = q.get("options")
        if not isinstance(raw_opts, list) or len(raw_opts) < 2:
            raise v.fail(q, f"Question {qkey!r} needs a list of at least two 'options'.")
        options: list[Option] = []
        for ro in raw_opts:
            if isinstance(ro, str):
                ro = _LineDict(value=ro, label={lang: ro for lang in languages})
            o = v.mapping(ro, f"Each option of {qkey!r}", q)
            value = o.get("value")
            if not isinstance(value, str) or not value.strip():
                raise v.fail(
                    o if getattr(o, "line", 0) else q, f"An option of {qkey!r} has no 'value' text."
                )
            olabel = o.get("label", {lang: value for lang in languages})
            if isinstance(olabel, str):
                olabel = {lang: olabel for lang in languages}
            holder = _LineDict(label=olabel)
            holder.line = getattr(o, "line", 0) or getattr(q, "line", 0)
            options.append(
                Option(
                    value=value.strip(),
                    label=v.texts(holder, "label", languages, f"Option {value!r}"),
                )
            )
        values = [o.value for o in options]
        if len(set(values)) != len(values):
            raise v.fail(q, f"Question {qkey!r} has duplicate option values.")
        multiple = q.get("multiple", False)
        if not isinstance(multiple, bool):
            raise v.fail(
                q, f"Question {qkey!r}: 'multiple' must be true or false, got {multiple!r}."
            )
        questions.append(
            DemographicQuestion(key=qkey, label=label, options=tuple(options), multiple=multiple)
        )
    unknown = set(doc) - {"key", "title", "languages", "prompts", "demographics", "description"}
    if unknown:
        raise v.fail(
            doc,
            f"Unknown top-level field(s) {sorted(unknown)}; expected key, title, languages, "
            f"prompts, demographics.",
        )
    return Survey(
        key=key,
        title=title,
        languages=languages,
        prompts=tuple(prompts),
        demographics=tuple(questions),
    )


def load_survey(path: str | Path) -> Survey:
    """Load and validate a survey YAML file.

    Parameters
    ----------
    path : str or Path
        The file.

    Returns
    -------
    Survey
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise SurveyError(
            f"Survey file {p} not found; pass a path such as surveys/visioning.yaml."
        ) from exc
    except UnicodeDecodeError as exc:
        raise SurveyError(f"Survey file {p} is not UTF-8 text; save it as UTF-8.") from exc
    return parse_survey(text, str(p))

"""The equity lens (dimension names, gap sentences, display tables): English and Spanish.

Keys start with ``equity.`` so they never collide with another area's. Used by
:mod:`pbp_facilitate.equity` only, always through :func:`pbp_facilitate.i18n.gettext`.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        # dimension names (one per KNOWN_DIMENSIONS key)
        "equity.dim_race_ethnicity": "race or ethnicity",
        "equity.dim_neighbourhood": "neighbourhood",
        "equity.dim_age_band": "age band",
        "equity.dim_gender": "gender",
        "equity.dim_language": "language",
        "equity.dim_income_band": "income band",
        "equity.dim_disability": "disability",
        "equity.dim_role": "role",
        "equity.dim_lived_experience": "lived experience",
        "equity.dim_zip_code": "ZIP code",
        # groups and numbers
        "equity.not_shared": "not shared",
        "equity.group_residents": "{group} residents",
        "equity.pct": "{value}%",
        "equity.pct_under_one": "under 1%",
        "equity.pct_at_most": "≤{value}%",
        "equity.share_of_all": "{value}% of all",
        "equity.small_people": "<{k} people",
        "equity.total": "Total",
        "equity.theme_unclear": "Unclear",
        # status words of the representation table
        "equity.status_under": "under",
        "equity.status_over": "over",
        "equity.status_ok": "ok",
        "equity.status_not_in_benchmarks": "not in benchmarks",
        "equity.status_too_few_shared": "too few shared",
        "equity.status_not_shared": "not shared",
        # representation messages
        "equity.rep_no_participants": (
            "No participants yet, so the room cannot be compared with the community."
        ),
        "equity.rep_nobody_shared.one": (
            "Nobody has shared their {dim} ({n} participant, none shared), "
            "so the room cannot be compared with the community on it."
        ),
        "equity.rep_nobody_shared.other": (
            "Nobody has shared their {dim} ({n} participants, none shared), "
            "so the room cannot be compared with the community on it."
        ),
        "equity.rep_too_few.one": (
            "Only {shared} of {n} participant shared their {dim}; at least "
            "{k} are needed before the room is compared with the community."
        ),
        "equity.rep_too_few.other": (
            "Only {shared} of {n} participants shared their {dim}; at least "
            "{k} are needed before the room is compared with the community."
        ),
        "equity.rep_shared.one": "{shared} of {n} participant shared their {dim}.",
        "equity.rep_shared.other": "{shared} of {n} participants shared their {dim}.",
        # gap sentences
        "equity.gap_sentence": "{label} are {community} of the community and {part}.",
        "equity.gap_part_share": "{share} of participants",
        "equity.gap_part_small.one": (
            "fewer than {k} of the {n} participant who shared their {dim}"
        ),
        "equity.gap_part_small.other": (
            "fewer than {k} of the {n} participants who shared their {dim}"
        ),
        "equity.gap_part_hidden": "a share of participants not shown, to protect a small group",
        "equity.gap_none.one": (
            "No group is under- or over-represented beyond the threshold "
            "({n} participant shared their {dim})."
        ),
        "equity.gap_none.other": (
            "No group is under- or over-represented beyond the threshold "
            "({n} participants shared their {dim})."
        ),
        # the representation chart
        "equity.chart_title": "Who is in the room: {dim}",
        "equity.chart_community": "Community",
        "equity.chart_participants": "Participants",
        "equity.chart_fewer": "fewer than {k} people",
        "equity.chart_under": "under-represented",
        "equity.chart_over": "over-represented",
        "equity.chart_xlabel": "% (participants: of those who shared)",
        # display tables
        "equity.col_group": "Group",
        "equity.col_participants": "Participants",
        "equity.col_share_participants": "Share of participants",
        "equity.col_share_community": "Share of community",
        "equity.col_difference": "Difference (points)",
        "equity.col_ratio": "Ratio",
        "equity.col_status": "Status",
        "equity.col_people": "People",
        "equity.col_raw_share": "Raw share",
        "equity.col_reweighted_share": "Re-weighted share",
        "equity.rep_note": (
            "Groups with fewer than {k} participants show '<{k}'; '{mark}' hides one more "
            "so those cannot be worked out. Shares of participants are of those who shared. "
            "{message}"
        ),
        "equity.suppress_note": (
            "Counts under {k} people are shown as '{small}'; cells marked '{mark}' are hidden "
            "so that those cannot be worked out from the totals."
        ),
        "equity.suppress_note_dots": (
            "Counts under {k} people are shown as '{small}' (dots given by fewer than that many "
            "people); cells marked '{mark}' are hidden so that those cannot be worked out from "
            "the totals."
        ),
        "equity.nothing_to_show": "Nothing to show yet.",
        # breakdowns and priorities
        "equity.no_themed_ideas": "No ideas with a theme yet.",
        "equity.no_votes": "No votes yet.",
        "equity.prio_no_group": "No group to compare.",
        "equity.prio_no_votes": "Nobody from {group} has voted yet.",
        "equity.prio_too_few": (
            "Fewer than {k} people from {group} have voted, so their priorities are not shown "
            "separately, to protect their privacy."
        ),
        "equity.prio_message": (
            "Top priorities of {group} (share of their dots) compared with everyone's."
        ),
        "equity.prio_hidden.one": (
            "{n} theme with votes from fewer than {k} of them is not ranked."
        ),
        "equity.prio_hidden.other": (
            "{n} themes with votes from fewer than {k} of them are not ranked."
        ),
        # re-weighting
        "equity.rw_from_source": " (from {source})",
        "equity.rw_method": (
            "Re-weighted shares use post-stratification on {dim}: each group's share of people "
            "raising a theme is weighted by the group's share of the community{source} instead "
            "of its share of the participants, so every group counts as much as it does in the "
            "community. Participants who did not share their {dim}, and groups with fewer than "
            "{k} contributors, are left out of the re-weighted figure{left_out}; the groups used "
            "make up {coverage} of the community. Raw shares count every contributor once. "
            "Themes raised by fewer than {k} people have no re-weighted share."
        ),
        "equity.rw_none": (
            "No group has {k} or more contributors who shared their {dim}, so no re-weighted "
            "shares can be given yet."
        ),
        # community benchmark files
        "equity.bench_missing": (
            "No community benchmarks at {path}; add that file (see docs/equity.md) to compare "
            "who takes part with the community."
        ),
        "equity.bench_unreadable": "The community benchmarks at {path} could not be read: {error}",
    },
    "es": {
        "equity.dim_race_ethnicity": "raza o etnia",
        "equity.dim_neighbourhood": "vecindario",
        "equity.dim_age_band": "grupo de edad",
        "equity.dim_gender": "género",
        "equity.dim_language": "idioma",
        "equity.dim_income_band": "nivel de ingresos",
        "equity.dim_disability": "discapacidad",
        "equity.dim_role": "rol",
        "equity.dim_lived_experience": "experiencia vivida",
        "equity.dim_zip_code": "código postal",
        "equity.not_shared": "no compartido",
        "equity.group_residents": "Residentes del grupo «{group}»",
        "equity.pct": "{value} %",
        "equity.pct_under_one": "menos del 1 %",
        "equity.pct_at_most": "≤{value} %",
        "equity.share_of_all": "{value} % del total",
        "equity.small_people": "<{k} personas",
        "equity.total": "Total",
        "equity.theme_unclear": "Poco claro",
        "equity.status_under": "subrepresentado",
        "equity.status_over": "sobrerrepresentado",
        "equity.status_ok": "ok",
        "equity.status_not_in_benchmarks": "sin referencia",
        "equity.status_too_few_shared": "muy pocos datos",
        "equity.status_not_shared": "no compartido",
        "equity.rep_no_participants": (
            "Todavía no hay participantes, así que no se puede comparar la sala con la comunidad."
        ),
        "equity.rep_nobody_shared.one": (
            "Nadie ha compartido su {dim} ({n} participante, ninguno lo compartió), "
            "así que no se puede comparar la sala con la comunidad en esto."
        ),
        "equity.rep_nobody_shared.other": (
            "Nadie ha compartido su {dim} ({n} participantes, ninguno lo compartió), "
            "así que no se puede comparar la sala con la comunidad en esto."
        ),
        "equity.rep_too_few.one": (
            "Solo {shared} de {n} participante compartieron su {dim}; se necesitan "
            "al menos {k} para comparar la sala con la comunidad."
        ),
        "equity.rep_too_few.other": (
            "Solo {shared} de {n} participantes compartieron su {dim}; se necesitan "
            "al menos {k} para comparar la sala con la comunidad."
        ),
        "equity.rep_shared.one": "{shared} de {n} participante compartieron su {dim}.",
        "equity.rep_shared.other": "{shared} de {n} participantes compartieron su {dim}.",
        "equity.gap_sentence": "{label} son el {community} de la comunidad y {part}.",
        "equity.gap_part_share": "el {share} de los participantes",
        "equity.gap_part_small.one": ("menos de {k} del {n} participante que compartió su {dim}"),
        "equity.gap_part_small.other": (
            "menos de {k} de los {n} participantes que compartieron su {dim}"
        ),
        "equity.gap_part_hidden": (
            "una parte de los participantes que no se muestra para proteger a un grupo pequeño"
        ),
        "equity.gap_none.one": (
            "Ningún grupo está sub- o sobrerrepresentado más allá del umbral "
            "({n} participante compartió su {dim})."
        ),
        "equity.gap_none.other": (
            "Ningún grupo está sub- o sobrerrepresentado más allá del umbral "
            "({n} participantes compartieron su {dim})."
        ),
        "equity.chart_title": "Quién está en la sala: {dim}",
        "equity.chart_community": "Comunidad",
        "equity.chart_participants": "Participantes",
        "equity.chart_fewer": "menos de {k} personas",
        "equity.chart_under": "subrepresentado",
        "equity.chart_over": "sobrerrepresentado",
        "equity.chart_xlabel": "% (participantes: de quienes compartieron)",
        "equity.col_group": "Grupo",
        "equity.col_participants": "Participantes",
        "equity.col_share_participants": "Parte de los participantes",
        "equity.col_share_community": "Parte de la comunidad",
        "equity.col_difference": "Diferencia (puntos)",
        "equity.col_ratio": "Razón",
        "equity.col_status": "Estado",
        "equity.col_people": "Personas",
        "equity.col_raw_share": "Parte sin ajustar",
        "equity.col_reweighted_share": "Parte reponderada",
        "equity.rep_note": (
            "Los grupos con menos de {k} participantes muestran '<{k}'; '{mark}' oculta otro "
            "para que no se puedan deducir. Las partes de los participantes son de quienes "
            "compartieron. {message}"
        ),
        "equity.suppress_note": (
            "Los conteos de menos de {k} personas aparecen como '{small}'; las celdas marcadas "
            "con '{mark}' se ocultan para que no se puedan deducir a partir de los totales."
        ),
        "equity.suppress_note_dots": (
            "Los conteos de menos de {k} personas aparecen como '{small}' (puntos dados por "
            "menos personas que eso); las celdas marcadas con '{mark}' se ocultan para que no "
            "se puedan deducir a partir de los totales."
        ),
        "equity.nothing_to_show": "Todavía no hay nada que mostrar.",
        "equity.no_themed_ideas": "Todavía no hay ideas con un tema.",
        "equity.no_votes": "Todavía no hay votos.",
        "equity.prio_no_group": "No hay ningún grupo que comparar.",
        "equity.prio_no_votes": "Todavía no ha votado nadie del grupo «{group}».",
        "equity.prio_too_few": (
            "Han votado menos de {k} personas del grupo «{group}», así que sus prioridades no se "
            "muestran aparte, para proteger su privacidad."
        ),
        "equity.prio_message": (
            "Prioridades principales del grupo «{group}» (parte de sus puntos) comparadas con las "
            "de todos."
        ),
        "equity.prio_hidden.one": (
            "{n} tema con votos de menos de {k} de sus integrantes no se clasifica."
        ),
        "equity.prio_hidden.other": (
            "{n} temas con votos de menos de {k} de sus integrantes no se clasifican."
        ),
        "equity.rw_from_source": " (según {source})",
        "equity.rw_method": (
            "Las partes reponderadas usan posestratificación por {dim}: la parte de cada grupo "
            "que propuso un tema se pondera por la parte del grupo en la comunidad{source} en "
            "lugar de su parte entre los participantes, de modo que cada grupo cuenta tanto como "
            "en la comunidad. Quienes no compartieron su {dim}, y los grupos con menos de {k} "
            "personas que aportaron ideas, quedan fuera de la cifra reponderada{left_out}; los "
            "grupos usados suman el {coverage} de la comunidad. Las partes sin ajustar cuentan "
            "una vez a cada persona que aportó ideas. Los temas propuestos por menos de {k} "
            "personas no tienen parte reponderada."
        ),
        "equity.rw_none": (
            "Ningún grupo tiene {k} o más personas que aportaron ideas y compartieron su {dim}, "
            "así que todavía no se pueden dar partes reponderadas."
        ),
        "equity.bench_missing": (
            "No hay cifras de la comunidad en {path}; añada ese archivo (vea docs/equity.md) para "
            "comparar quién participa con la comunidad."
        ),
        "equity.bench_unreadable": (
            "No se pudieron leer las cifras de la comunidad en {path}: {error}"
        ),
    },
}

"""The goal checker: criterion names, reasons, suggestions: English and Spanish.

Keys start with ``goals.`` so they never collide with another area's. The
checker reads them through :mod:`pbp_facilitate.goals.messages`:

- ``goals.label_<criterion>``: the criterion's name in the text report;
- ``goals.<criterion>_*``: reasons and suggestions (``spec_``, ``meas_``,
  ``time_``, ``eq_``, ``ach_``, ``rel_``);
- ``goals.pace_*``: the pace quoted by *achievable*;
- ``goals.rewrite*`` and ``goals.ph_*``: the rewrite template and the
  bracketed placeholders for what the goal does not say yet;
- ``goals.report_*``, ``goals.verdict_*``, ``goals.chip_*``: the text and HTML reports.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        # criterion names
        "goals.label_specific": "specific",
        "goals.label_measurable": "measurable",
        "goals.label_achievable": "achievable",
        "goals.label_relevant": "relevant",
        "goals.label_time_bound": "time-bound",
        "goals.label_equity": "equity",
        # specific
        "goals.spec_pass": "Names what changes: {ev}.",
        "goals.spec_fail": "Does not name a concrete outcome or indicator; vague aims such as "
        "'improve outcomes' or 'strengthen collaboration' cannot be tracked.",
        "goals.spec_sug": "Say what will change and for whom, e.g. 'the share of third graders "
        "reading at grade level' or 'the number of families placed in stable housing'.",
        # measurable
        "goals.meas_pass": "Sets a quantified target: {ev}.",
        "goals.meas_fail_notgoal": "No target: the text states a fact or a slogan, not a change "
        "to reach.",
        "goals.meas_fail": "No quantified target: there is no number, percentage, ratio or "
        "countable end state (such as zero or every) to check progress against.",
        "goals.meas_fail_only": "The numbers here ({ev}) are not targets (a year, a baseline, a "
        "grade, a duration or a count of partners).",
        "goals.meas_sug": "Add a target amount: 'from 41% to 55%', 'by 25%', 'half', '500 more "
        "families', or 'every student ...'.",
        # time-bound
        "goals.time_pass": "Has a future deadline or time frame: {ev}.",
        "goals.time_fail": "No deadline or time frame.",
        "goals.time_fail_vague": "'{vague}' is not a deadline.",
        "goals.time_fail_past": "The only dates are past or context ({ev}), not a deadline.",
        "goals.time_sug": "Add when: 'by June 2028', 'by the end of the 2027-28 school year', or "
        "'within 18 months'.",
        # equity
        "goals.eq_pass": "Centers those most impacted: {ev}.",
        "goals.eq_fail": "Does not name a population most impacted, a gap to close, or reporting "
        "by group.",
        "goals.eq_fail_generic": "'{gen}' alone does not say who is most impacted.",
        "goals.eq_sug": "Name who is most impacted (e.g. Black and Latino students, families "
        "experiencing homelessness, low-income neighborhoods), a gap to close, or commit to "
        "report by race and ethnicity.",
        # achievable
        "goals.ach_nothing": "Not judged: no quantified target to assess.",
        "goals.ach_nobaseline": "Not judged: no baseline, so the pace of change is unknown.",
        "goals.ach_nobaseline_sug": "State the current value and its year (e.g. 'up from 41% in "
        "2024').",
        "goals.ach_notime": "Not judged: no time frame, so the pace of change is unknown.",
        "goals.ach_notime_sug": "Add a deadline so the pace can be checked.",
        "goals.ach_ok": "Plausible pace: {pace}.",
        "goals.ach_fast_pts": "Ambitious: {pace}, more than {lim} percentage points a year.",
        "goals.ach_fast_rel": "Ambitious: {pace}, faster than doubling or halving every year.",
        "goals.ach_fast_zero": "Ambitious: bringing a count to zero in under a year.",
        "goals.ach_past": "The deadline ({year}) has already passed.",
        "goals.ach_bad_pct": "A target of {val}% is outside 0-100%.",
        "goals.ach_fast_sug": "Check the target against recent trends, or allow more time.",
        "goals.ach_past_sug": "Set a deadline in the future.",
        # the pace quoted by achievable
        "goals.pace_years.one": "{n} year",
        "goals.pace_years.other": "{n} years",
        "goals.pace_points.one": "{n} point in {span} ({per} a year)",
        "goals.pace_points.other": "{n} points in {span} ({per} a year)",
        "goals.pace_zero": "to zero in {span}",
        "goals.pace_ratio": "×{ratio} in {span}",
        # relevant
        "goals.rel_none": "Not judged: no session themes given.",
        "goals.rel_pass": "Addresses the session theme(s): {themes}.",
        "goals.rel_fail": "Does not address any of the session themes ({themes}).",
        "goals.rel_sug": "Tie the goal to one of the themes the community raised: {themes}.",
        "goals.empty": "Empty text.",
        # the rewrite
        "goals.rewrite_when": "By {date}",
        "goals.rewrite_gap": "{when}, {indicator} moves from {baseline} to {target}, {gap}.",
        "goals.rewrite_plain": "{when}, {indicator} moves from {baseline} to {target}.",
        "goals.rewrite_gap_groups": "{when}, {indicator} moves from {baseline} to {target}, "
        "{gap}, reported by {groups}.",
        "goals.rewrite": "{when}, {indicator} moves from {baseline} to {target}, reported by "
        "{groups}.",
        "goals.rewrite_for": "{when}, {indicator} for {population} moves from {baseline} to "
        "{target}, reported by {groups}.",
        "goals.ph_date": "[date]",
        "goals.ph_indicator": "[indicator]",
        "goals.ph_population": "[population]",
        "goals.ph_baseline": "[baseline]",
        "goals.ph_target": "[target]",
        "goals.ph_groups": "[groups]",
        # the text and HTML reports
        "goals.verdict_not_a_goal": "not a goal",
        "goals.verdict_ready": "ready",
        "goals.verdict_needs_work": "needs work",
        "goals.report_goal": "Goal: {text}",
        "goals.report_verdict": "Verdict: {verdict} ({score}/4 core criteria; is a goal: "
        "{is_goal})",
        "goals.report_yes": "yes",
        "goals.report_no": "no",
        "goals.report_evidence": "evidence: {evidence}",
        "goals.report_suggestion": "suggestion: {suggestion}",
        "goals.report_rewrite": "Rewrite: {rewrite}",
        "goals.chip_not_a_goal": "Not a goal yet",
    },
    "es": {
        # criterion names
        "goals.label_specific": "específica",
        "goals.label_measurable": "medible",
        "goals.label_achievable": "alcanzable",
        "goals.label_relevant": "pertinente",
        "goals.label_time_bound": "con plazo",
        "goals.label_equity": "equidad",
        # specific
        "goals.spec_pass": "Nombra lo que cambia: {ev}.",
        "goals.spec_fail": "No nombra un resultado o indicador concreto; propósitos vagos como "
        "'mejorar los resultados' o 'fortalecer la colaboración' no se pueden medir.",
        "goals.spec_sug": "Diga qué cambiará y para quién, p. ej. 'la proporción de estudiantes "
        "de tercer grado que leen a nivel de grado' o 'el número de familias con vivienda "
        "estable'.",
        # measurable
        "goals.meas_pass": "Fija una meta cuantificada: {ev}.",
        "goals.meas_fail_notgoal": "Sin meta: el texto expone un hecho o un lema, no un cambio a "
        "lograr.",
        "goals.meas_fail": "Sin meta cuantificada: no hay número, porcentaje, proporción ni "
        "estado final contable (como cero o todos) con el que medir el avance.",
        "goals.meas_fail_only": "Los números ({ev}) no son metas (un año, una línea de base, un "
        "grado, una duración o un número de socios).",
        "goals.meas_sug": "Añada una meta: 'del 41 % al 55 %', 'en un 25 %', 'la mitad', '500 "
        "familias más' o 'todos los estudiantes ...'.",
        # time-bound
        "goals.time_pass": "Tiene un plazo o una fecha futura: {ev}.",
        "goals.time_fail": "No tiene fecha límite ni plazo.",
        "goals.time_fail_vague": "'{vague}' no es una fecha límite.",
        "goals.time_fail_past": "Las únicas fechas son pasadas o de contexto ({ev}), no un plazo.",
        "goals.time_sug": "Diga cuándo: 'para junio de 2028', 'antes de que termine el ciclo "
        "escolar 2027-2028' o 'en un plazo de 18 meses'.",
        # equity
        "goals.eq_pass": "Pone en el centro a quienes más lo sufren: {ev}.",
        "goals.eq_fail": "No nombra a una población más afectada, una brecha que cerrar ni datos "
        "desglosados por grupo.",
        "goals.eq_fail_generic": "'{gen}' por sí solo no dice quiénes son los más afectados.",
        "goals.eq_sug": "Nombre a los más afectados (p. ej. estudiantes latinos y "
        "afroamericanos, familias sin hogar, barrios de bajos ingresos), una brecha que cerrar, "
        "o comprométase a desglosar los datos por raza y etnia.",
        # achievable
        "goals.ach_nothing": "Sin evaluar: no hay una meta cuantificada.",
        "goals.ach_nobaseline": "Sin evaluar: no hay línea de base, así que no se conoce el "
        "ritmo de cambio.",
        "goals.ach_nobaseline_sug": "Indique el valor actual y su año (p. ej. 'frente al 41 % "
        "en 2024').",
        "goals.ach_notime": "Sin evaluar: no hay plazo, así que no se conoce el ritmo de cambio.",
        "goals.ach_notime_sug": "Añada una fecha límite para poder revisar el ritmo.",
        "goals.ach_ok": "Ritmo verosímil: {pace}.",
        "goals.ach_fast_pts": "Ambicioso: {pace}, más de {lim} puntos porcentuales al año.",
        "goals.ach_fast_rel": "Ambicioso: {pace}, más rápido que duplicar o reducir a la mitad "
        "cada año.",
        "goals.ach_fast_zero": "Ambicioso: llevar una cifra a cero en menos de un año.",
        "goals.ach_past": "La fecha límite ({year}) ya pasó.",
        "goals.ach_bad_pct": "Una meta del {val} % está fuera del rango 0-100 %.",
        "goals.ach_fast_sug": "Compare la meta con la tendencia reciente o dé más tiempo.",
        "goals.ach_past_sug": "Fije una fecha límite futura.",
        # the pace quoted by achievable
        "goals.pace_years.one": "{n} año",
        "goals.pace_years.other": "{n} años",
        "goals.pace_points.one": "{n} punto en {span} ({per} al año)",
        "goals.pace_points.other": "{n} puntos en {span} ({per} al año)",
        "goals.pace_zero": "a cero en {span}",
        "goals.pace_ratio": "×{ratio} en {span}",
        # relevant
        "goals.rel_none": "Sin evaluar: no se indicaron temas de la sesión.",
        "goals.rel_pass": "Aborda los temas de la sesión: {themes}.",
        "goals.rel_fail": "No aborda ninguno de los temas de la sesión ({themes}).",
        "goals.rel_sug": "Vincule la meta a uno de los temas que planteó la comunidad: {themes}.",
        "goals.empty": "Texto vacío.",
        # the rewrite
        "goals.rewrite_when": "Para {date}",
        "goals.rewrite_gap": "{when}, {indicator} pasa de {baseline} a {target}, {gap}.",
        "goals.rewrite_plain": "{when}, {indicator} pasa de {baseline} a {target}.",
        "goals.rewrite_gap_groups": "{when}, {indicator} pasa de {baseline} a {target}, "
        "{gap}, con datos desglosados por {groups}.",
        "goals.rewrite": "{when}, {indicator} pasa de {baseline} a {target}, con datos "
        "desglosados por {groups}.",
        "goals.rewrite_for": "{when}, {indicator} de {population} pasa de {baseline} a "
        "{target}, con datos desglosados por {groups}.",
        "goals.ph_date": "[fecha]",
        "goals.ph_indicator": "[indicador]",
        "goals.ph_population": "[población]",
        "goals.ph_baseline": "[línea de base]",
        "goals.ph_target": "[meta]",
        "goals.ph_groups": "[grupos]",
        # the text and HTML reports
        "goals.verdict_not_a_goal": "no es una meta",
        "goals.verdict_ready": "lista",
        "goals.verdict_needs_work": "necesita trabajo",
        "goals.report_goal": "Meta: {text}",
        "goals.report_verdict": "Veredicto: {verdict} ({score}/4 criterios básicos; es una "
        "meta: {is_goal})",
        "goals.report_yes": "sí",
        "goals.report_no": "no",
        "goals.report_evidence": "evidencia: {evidence}",
        "goals.report_suggestion": "sugerencia: {suggestion}",
        "goals.report_rewrite": "Reescritura: {rewrite}",
        "goals.chip_not_a_goal": "Todavía no es una meta",
    },
}

# Progress toward goals (goals.progress_text, the review workbook, the summary): plain words.
STRINGS["en"].update(
    {
        "goals.progress_status_met": "target reached",
        "goals.progress_status_on_track": "on track",
        "goals.progress_status_off_track": "off track",
        "goals.progress_status_not_enough_data": "not enough data yet",
        "goals.progress_heading": "Goal {id}: {text}",
        "goals.progress_status_line": "Status: {status}.",
        "goals.progress_met": "{name} was {latest} in {period}: the target of {target} is reached.",
        "goals.progress_on_track": "{name} was {latest} in {period} ({change} since {baseline}); "
        "the straight path to {target} by {when} expected {expected}, so it is on track.",
        "goals.progress_off_track": "{name} was {latest} in {period} ({change} since {baseline}); "
        "the straight path to {target} by {when} expected {expected}, so it is behind.",
        "goals.progress_no_target": "No target value is set yet, so progress cannot be judged.",
        "goals.progress_no_value_after_baseline": "There is no value after the baseline yet.",
        "goals.progress_no_target_time": "{name} was {latest} in {period}; the target has no "
        "year, so the pace cannot be judged.",
        "goals.progress_indicator": "the indicator",
        "goals.progress_group_best": "{group}: {value} ({period}), the best-off group.",
        "goals.progress_group_gap": "{group}: {value} ({period}), {gap} behind {reference}; "
        "{trend}",
        "goals.progress_group_alone": "{group}: {value} ({period}).",
        "goals.progress_group_hidden": "{group}: not shown (fewer than {k} people, or it would "
        "reveal such a value).",
        "goals.progress_trend_closing": "the gap is closing.",
        "goals.progress_trend_widening": "the gap is widening.",
        "goals.progress_trend_steady": "the gap is unchanged.",
        "goals.progress_trend_none": "too few periods to tell a trend.",
        "goals.progress_suppressed.one": "{n} value is not shown: it comes from too few people, "
        "or would reveal one that does.",
        "goals.progress_suppressed.other": "{n} values are not shown: they come from too few "
        "people, or would reveal one that does.",
        "goals.progress_no_goals": "No goals in this session yet.",
        "goals.progress_no_data": "No partner data yet for this goal.",
        "goals.progress_everyone": "Everyone",
        "goals.progress_target_path": "Target path",
        "goals.progress_period": "Period",
        "goals.progress_value": "Value",
        "goals.progress_points.one": "{n} point",
        "goals.progress_points.other": "{n} points",
    }
)
STRINGS["es"].update(
    {
        "goals.progress_status_met": "meta alcanzada",
        "goals.progress_status_on_track": "en camino",
        "goals.progress_status_off_track": "atrasada",
        "goals.progress_status_not_enough_data": "aún faltan datos",
        "goals.progress_heading": "Meta {id}: {text}",
        "goals.progress_status_line": "Estado: {status}.",
        "goals.progress_met": "{name} fue {latest} en {period}: se alcanzó la meta de {target}.",
        "goals.progress_on_track": "{name} fue {latest} en {period} ({change} desde {baseline}); "
        "la línea recta hacia {target} para {when} esperaba {expected}, así que va en camino.",
        "goals.progress_off_track": "{name} fue {latest} en {period} ({change} desde "
        "{baseline}); la línea recta hacia {target} para {when} esperaba {expected}, así que "
        "va atrasada.",
        "goals.progress_no_target": "Todavía no hay un valor de meta, así que no se puede "
        "juzgar el avance.",
        "goals.progress_no_value_after_baseline": "Todavía no hay un valor posterior a la "
        "línea de base.",
        "goals.progress_no_target_time": "{name} fue {latest} en {period}; la meta no tiene "
        "año, así que no se puede juzgar el ritmo.",
        "goals.progress_indicator": "el indicador",
        "goals.progress_group_best": "{group}: {value} ({period}), el grupo con mejor resultado.",
        "goals.progress_group_gap": "{group}: {value} ({period}), {gap} por detrás de "
        "{reference}; {trend}",
        "goals.progress_group_alone": "{group}: {value} ({period}).",
        "goals.progress_group_hidden": "{group}: no se muestra (menos de {k} personas, o "
        "revelaría un valor así).",
        "goals.progress_trend_closing": "la brecha se está cerrando.",
        "goals.progress_trend_widening": "la brecha se está ampliando.",
        "goals.progress_trend_steady": "la brecha sigue igual.",
        "goals.progress_trend_none": "aún hay pocos periodos para ver una tendencia.",
        "goals.progress_suppressed.one": "{n} valor no se muestra: viene de muy pocas personas, "
        "o revelaría uno que sí.",
        "goals.progress_suppressed.other": "{n} valores no se muestran: vienen de muy pocas "
        "personas, o revelarían uno que sí.",
        "goals.progress_no_goals": "Todavía no hay metas en esta sesión.",
        "goals.progress_no_data": "Todavía no hay datos de los socios para esta meta.",
        "goals.progress_everyone": "Todas las personas",
        "goals.progress_target_path": "Trayectoria a la meta",
        "goals.progress_period": "Periodo",
        "goals.progress_value": "Valor",
        "goals.progress_points.one": "{n} punto",
        "goals.progress_points.other": "{n} puntos",
    }
)

"""The papermill summaries (headings, sentences, table headers, chart labels): English and Spanish.

Keys start with ``summaries.`` so they never collide with another area's.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "summaries.months": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
        "summaries.when": "{day} {month} {year}, {time} UTC",
        "summaries.footer": "Made with pbp-facilitate on {generated} from session {code}. Groups "
        "of fewer than {small_count} people are not shown.",
        "summaries.page_title": "Session summary",
        # section titles
        "summaries.title_glance": "The session at a glance",
        "summaries.title_participation": "Participation",
        "summaries.title_representation": "Who took part, compared with the community",
        "summaries.title_themes": "What we heard: themes",
        "summaries.title_voting": "Voting results",
        "summaries.title_goals": "Goals",
        "summaries.title_moderation": "Moderation",
        "summaries.title_next": "Next steps",
        # at a glance
        "summaries.when_range": "{start} to {end}",
        "summaries.when_created": "created {when}",
        "summaries.lang_en": "English",
        "summaries.lang_es": "Spanish",
        "summaries.lang_unknown": "not recorded",
        "summaries.none_yet": "none yet",
        "summaries.tile_ideas": "ideas shared",
        "summaries.tile_participants": "participants",
        "summaries.tile_questions": "questions asked",
        "summaries.tile_languages": "languages",
        "summaries.row_session": "Session",
        "summaries.session_value": "{title} (join code {code})",
        "summaries.row_when": "When",
        "summaries.row_status": "Status",
        "summaries.status_open": "open",
        "summaries.status_closed": "closed",
        "summaries.row_ideas": "Ideas",
        "summaries.ideas_value": "{shown} shared, {hidden} hidden by moderation",
        "summaries.row_participants": "Participants",
        "summaries.participants_value": "{n}, of whom {consented} chose to share demographics",
        "summaries.row_languages": "Languages",
        # participation
        "summaries.no_ideas": "No ideas have been shared yet.",
        "summaries.no_ideas_short": "No ideas yet.",
        "summaries.no_question": "(no question)",
        "summaries.axis_minutes": "minutes after the first idea ({start})",
        "summaries.axis_ideas_so_far": "ideas so far",
        "summaries.chart_over_time": "Ideas shared over time",
        "summaries.alt_over_time.one": "Line chart: {n} idea shared over {minutes}.",
        "summaries.alt_over_time.other": "Line chart: {n} ideas shared over {minutes}.",
        # counted nouns, filled into the sentences below
        "summaries.n_ideas.one": "{n} idea",
        "summaries.n_ideas.other": "{n} ideas",
        "summaries.n_people.one": "{n} person",
        "summaries.n_people.other": "{n} people",
        "summaries.n_participants.one": "{n} participant",
        "summaries.n_participants.other": "{n} participants",
        "summaries.n_themes.one": "{n} theme",
        "summaries.n_themes.other": "{n} themes",
        "summaries.n_dots.one": "{n} dot",
        "summaries.n_dots.other": "{n} dots",
        "summaries.n_minutes.one": "{n} minute",
        "summaries.n_minutes.other": "{n} minutes",
        "summaries.n_unclear.one": "{n} did not fit any theme clearly",
        "summaries.n_unclear.other": "{n} did not fit any theme clearly",
        "summaries.q_short": "Q{n}",
        "summaries.none_short": "none",
        "summaries.axis_ideas": "ideas",
        "summaries.chart_by_question": "Ideas by question",
        "summaries.alt_by_question": "Bar chart of ideas by question: {items}",
        "summaries.col_question": "Question",
        "summaries.col_ideas": "Ideas",
        "summaries.col_people": "People",
        "summaries.text_prompt_row": "{prompt}: {ideas} from {people}",
        # representation
        "summaries.consent_line.one": "{consented} of {n} participant chose to share "
        "demographics; everyone else counts as 'not shared'. Nothing is guessed.",
        "summaries.consent_line.other": "{consented} of {n} participants chose to share "
        "demographics; everyone else counts as 'not shared'. Nothing is guessed.",
        "summaries.privacy_note": "To protect privacy, any group of fewer than {k} people is shown "
        "as '<{k}', and a cell marked '*' is hidden so that a small group cannot be worked out "
        "from the totals.",
        "summaries.alt_representation": "Bar chart comparing participants with the community: "
        "{sentences}",
        "summaries.multi_note": "People could choose more than one answer, so the counts add up to "
        "more than the people.",
        "summaries.nobody_shared": "Nobody shared this.",
        "summaries.col_group": "Group",
        "summaries.no_gaps": "No gaps flagged.",
        # themes
        "summaries.themes_none": "No themes.",
        "summaries.themes_no_ideas": "No ideas yet, so no themes.",
        "summaries.themes_failed": "Themes could not be found ({error}).",
        "summaries.themes_count.one": "{n} idea fell into {themes}.",
        "summaries.themes_count.other": "{n} ideas fell into {themes}.",
        "summaries.themes_count_unclear.one": "{n} idea fell into {themes}; {unclear}.",
        "summaries.themes_count_unclear.other": "{n} ideas fell into {themes}; {unclear}.",
        "summaries.themes_note": "Themes are found automatically from the words people used (the "
        "facilitator's edits are applied); labels are the most telling words of each theme. Quotes "
        "are participants' own words.",
        "summaries.chart_per_theme": "Ideas per theme",
        "summaries.alt_per_theme": "Bar chart of ideas per theme: {items}",
        "summaries.alt_cloud": "Word cloud of theme {label}",
        "summaries.label_by_facilitator": " (label by the facilitator)",
        "summaries.theme_count.one": "{n} idea ({share}%)",
        "summaries.theme_count.other": "{n} ideas ({share}%)",
        "summaries.who_raised": "Who raised each theme, by {dimension}",
        "summaries.who_raised_note": "People (not ideas) who raised each theme. Counts under {k} "
        "read '<{k}'; '*' hides a cell that would give one away.",
        "summaries.col_theme": "Theme",
        # voting
        "summaries.no_voting": "No voting round was held in this session.",
        "summaries.no_voting_short": "No voting.",
        "summaries.option_n": "option {id}",
        "summaries.round_open": "still open",
        "summaries.round_closed": "closed",
        "summaries.voting_line.one": "{n} person placed {dots} ({each} each) across "
        "{options}; the round is {state}.",
        "summaries.voting_line.other": "{n} people placed {dots} ({each} each) across "
        "{options}; the round is {state}.",
        "summaries.axis_dots": "dots",
        "summaries.chart_dots": "Dots per theme (top three in blue)",
        "summaries.alt_dots": "Bar chart of dots per theme: {items}",
        "summaries.col_dots": "Dots",
        "summaries.col_voters": "Voters",
        "summaries.text_dots": "{label}: {dots}",
        # goals
        "summaries.no_goals": "No goals were drafted in this session.",
        "summaries.no_goals_short": "No goals.",
        "summaries.goals_note": "Each goal is checked against the SMART criteria plus equity (who "
        "benefits, reported by which groups). Specific, measurable, time-bound and equity must all "
        "be met for a goal to be ready; achievable and relevant are advice.",
        "summaries.goal_heading": "Goal {n} ({status})",
        "summaries.status_agreed": "agreed",
        "summaries.status_draft": "draft",
        "summaries.not_checked_note": "This goal has not been checked yet.",
        "summaries.verdict_not_checked": "not checked",
        "summaries.met_yes": "yes",
        "summaries.met_no": "no",
        "summaries.met_ok": "ok",
        "summaries.met_warning": "warning",
        "summaries.verdict_line": "Verdict: {verdict} ({met} of {core} core criteria met).",
        "summaries.col_check": "Check",
        "summaries.col_met": "Met",
        "summaries.col_why": "Why",
        "summaries.col_next": "Next step",
        "summaries.rewrite_line": "A stronger shape for it: {rewrite}",
        # moderation
        "summaries.nothing_hidden": "Nothing was hidden by moderation.",
        "summaries.hidden_line.one": "{n} of {total} was hidden by the facilitators "
        "(spam, personal information or abuse). It is left out of every number and theme above; "
        "its text is not shown here.",
        "summaries.hidden_line.other": "{n} of {total} were hidden by the facilitators "
        "(spam, personal information or abuse). They are left out of every number and theme above; "
        "their text is not shown here.",
        "summaries.col_hidden": "Hidden",
        "summaries.moderation_log": "Moderation log: {hide} hide and {restore} restore actions.",
        "summaries.text_hidden": "{n} hidden",
        # next steps
        "summaries.step_top": "Take the top priorities to the working groups: {items}.",
        "summaries.step_outreach": "Before the next session, reach out to groups the room "
        "under-represented compared with the community: {groups}.",
        "summaries.step_consent": "Fewer than half of participants shared demographics; explain "
        "next time why we ask and how answers are protected.",
        "summaries.step_goal": "Strengthen goal {n}: it does not yet meet {criteria} (see its "
        "check above).",
        "summaries.step_share": "Share this summary with participants and partners, in every "
        "language of the session, and say what happens next.",
        "summaries.thousands": ",",
        "summaries.decimal": ".",
        "summaries.intro": "What people said, who took part, what they chose, and what happens "
        "next. Numbers for groups of fewer than {k} people are not shown, to protect privacy.",
        "summaries.header_date": "{kind}, {when}",
        "summaries.lang_switch": "Read this summary in",
        "summaries.mostly_hidden": "Too few people shared this for a table by group: groups "
        "with fewer than {k} "
        "people: {hidden} of {cells}. The coarser view below is what can be shown.",
        "summaries.collapsed_other": "All other groups together",
        "summaries.collapsed_total": "Everyone who shared this",
        "summaries.nothing_showable": "Fewer than {k} people shared this, so no number can be "
        "shown.",
        "summaries.who_raised_hidden": "Too few people per group raised each theme to show who "
        "raised what by "
        "{dimension} (cells with fewer than {k} people: {hidden} of {cells}). Shown "
        "instead: how many people raised each theme.",
        "summaries.who_raised_people": "People who raised each theme",
        "summaries.few_voters": "Caution: only {voters} voted (fewer than {k}), so these "
        "priorities may not speak for the room.",
        "summaries.step_top_few": "Take the top priorities to the working groups, noting that "
        "only {voters} voted: "
        "{items}.",
        "summaries.col_share_here": "Share of participants",
        "summaries.col_share_community": "Share of community",
        "summaries.multi_collapsed": "{n} people chose at least one of these answers.",
        "summaries.html_title": "Summary: {title}",
        "summaries.footer_series": "Made with pbp-facilitate on {generated} from the series "
        "{code}. Groups of fewer than {small_count} people are not shown, in this roll-up or by "
        "comparing it with a session's summary.",
        "summaries.not_shared": "not shared",
        "summaries.series_page_title": "Series summary",
        "summaries.series_date": "Sessions: {n}; {when}",
        "summaries.series_intro": "One picture of every session in this series: who took part, "
        "what people said across all of them, what they chose and what changed. Groups of fewer "
        "than {k} people are not shown, here or by comparing this roll-up with a session's own "
        "summary.",
        "summaries.series_total": "All sessions",
        "summaries.col_session": "Session",
        "summaries.col_consented": "Shared demographics",
        "summaries.chart_per_session": "Ideas per session",
        "summaries.alt_per_session": "Bar chart of ideas per session: {items}",
        "summaries.title_series_participation": "Participation across the series",
        "summaries.series_participation_line": "Sessions: {sessions}. Together they heard "
        "{ideas} from {people}.",
        "summaries.series_people_note": "Participants are counted per session: someone who came "
        "to two sessions counts twice.",
        "summaries.series_privacy_note": "Counts add up every session's participants who chose to "
        "share demographics. A group is shown only when it has at least {k} people and no "
        "session's share of it could be worked out from the session summaries; other groups are "
        "pooled.",
        "summaries.series_pool_hidden": "The remaining groups together cannot be shown without "
        "giving away a group of fewer than {k} people in one session.",
        "summaries.series_themes_line": "Themes found over all {ideas} of the series: {themes}.",
        "summaries.col_sessions_raised": "Raised in (ideas)",
        "summaries.col_groups_raised": "Raised by (people)",
        "summaries.series_groups_note": "Groups are listed only where at least {k} people who "
        "shared demographics raised the theme and no single session's count can be worked out; "
        "'–' means none can be shown.",
        "summaries.series_no_voting": "No session of this series held a vote.",
        "summaries.series_one_vote": "Only session {code} voted; its dots are shown by theme of "
        "the series.",
        "summaries.series_votes_line": "Sessions that voted: {sessions}; in all, {voters} "
        "placed dots.",
        "summaries.series_votes_shared": "Themes voted on in more than one session: {n}.",
        "summaries.title_series_goals": "Agreed goals across the series",
        "summaries.series_no_agreed": "No goal has been agreed yet in these sessions.",
        "summaries.series_agreed_line": "Goals agreed so far: {n}.",
        "summaries.series_drafts": "Goals still in draft: {n}.",
        "summaries.title_series_changes": "What changed from the first to the latest session",
        "summaries.series_one_session": "The series has one session so far; nothing to compare "
        "yet.",
        "summaries.series_change_line": "{first}: {ideas_a} from {people_a} ({consent_a} shared "
        "demographics). {latest}: {ideas_b} from {people_b} ({consent_b} shared demographics).",
        "summaries.series_new_themes": "New in the latest session: {items}.",
        "summaries.series_gone_themes": "Not raised in the latest session: {items}.",
        "summaries.col_first": "Share in {code}",
        "summaries.col_latest": "Share in {code}",
        "summaries.col_change": "Change (points)",
        "summaries.site_title": "Community summaries",
        "summaries.site_intro": "What residents told us at each session and across each series, "
        "who took part, and what happens next. Groups of fewer than {k} people are never shown.",
        "summaries.site_series": "Series of sessions",
        "summaries.site_series_n": "{n} sessions",
        "summaries.site_sessions": "Sessions",
        "summaries.site_back": "All published summaries",
        "summaries.site_footer": "Made with pbp-facilitate. These pages make no requests to other "
        "sites and hold no participant's name, key or any group of fewer than {k} people.",
        "summaries.site_switch": "Read in",
        "summaries.table_region": "Table (scroll sideways to see every column)",
    },
    "es": {
        "summaries.months": "ene feb mar abr may jun jul ago sep oct nov dic",
        "summaries.when": "{day} {month} {year}, {time} UTC",
        "summaries.footer": "Hecho con pbp-facilitate el {generated} a partir de la sesión {code}. "
        "No se muestran grupos de menos de {small_count} personas.",
        "summaries.page_title": "Resumen de la sesión",
        "summaries.title_glance": "La sesión de un vistazo",
        "summaries.title_participation": "Participación",
        "summaries.title_representation": "Quién participó, comparado con la comunidad",
        "summaries.title_themes": "Lo que escuchamos: temas",
        "summaries.title_voting": "Resultados de la votación",
        "summaries.title_goals": "Metas",
        "summaries.title_moderation": "Moderación",
        "summaries.title_next": "Próximos pasos",
        "summaries.when_range": "{start} a {end}",
        "summaries.when_created": "creada el {when}",
        "summaries.lang_en": "inglés",
        "summaries.lang_es": "español",
        "summaries.lang_unknown": "sin registrar",
        "summaries.none_yet": "ninguno todavía",
        "summaries.tile_ideas": "ideas compartidas",
        "summaries.tile_participants": "participantes",
        "summaries.tile_questions": "preguntas hechas",
        "summaries.tile_languages": "idiomas",
        "summaries.row_session": "Sesión",
        "summaries.session_value": "{title} (código para unirse {code})",
        "summaries.row_when": "Cuándo",
        "summaries.row_status": "Estado",
        "summaries.status_open": "abierta",
        "summaries.status_closed": "cerrada",
        "summaries.row_ideas": "Ideas",
        "summaries.ideas_value": "{shown} compartidas, {hidden} ocultadas por la moderación",
        "summaries.row_participants": "Participantes",
        "summaries.participants_value": "{n}, de las cuales {consented} decidieron compartir datos "
        "demográficos",
        "summaries.row_languages": "Idiomas",
        "summaries.no_ideas": "Todavía no se ha compartido ninguna idea.",
        "summaries.no_ideas_short": "Todavía no hay ideas.",
        "summaries.no_question": "(sin pregunta)",
        "summaries.axis_minutes": "minutos después de la primera idea ({start})",
        "summaries.axis_ideas_so_far": "ideas hasta ahora",
        "summaries.chart_over_time": "Ideas compartidas a lo largo del tiempo",
        "summaries.alt_over_time.one": "Gráfico de líneas: {n} idea compartida en {minutes}.",
        "summaries.alt_over_time.other": "Gráfico de líneas: {n} ideas compartidas en {minutes}.",
        "summaries.n_ideas.one": "{n} idea",
        "summaries.n_ideas.other": "{n} ideas",
        "summaries.n_people.one": "{n} persona",
        "summaries.n_people.other": "{n} personas",
        "summaries.n_participants.one": "{n} participante",
        "summaries.n_participants.other": "{n} participantes",
        "summaries.n_themes.one": "{n} tema",
        "summaries.n_themes.other": "{n} temas",
        "summaries.n_dots.one": "{n} punto",
        "summaries.n_dots.other": "{n} puntos",
        "summaries.n_minutes.one": "{n} minuto",
        "summaries.n_minutes.other": "{n} minutos",
        "summaries.n_unclear.one": "{n} no encajó claramente en ningún tema",
        "summaries.n_unclear.other": "{n} no encajaron claramente en ningún tema",
        "summaries.q_short": "P{n}",
        "summaries.none_short": "ninguna",
        "summaries.axis_ideas": "ideas",
        "summaries.chart_by_question": "Ideas por pregunta",
        "summaries.alt_by_question": "Gráfico de barras de ideas por pregunta: {items}",
        "summaries.col_question": "Pregunta",
        "summaries.col_ideas": "Ideas",
        "summaries.col_people": "Personas",
        "summaries.text_prompt_row": "{prompt}: {ideas} de {people}",
        "summaries.consent_line.one": "{consented} de {n} participante decidió compartir datos "
        "demográficos; las demás cuentan como «no compartido». No se adivina nada.",
        "summaries.consent_line.other": "{consented} de {n} participantes decidieron compartir "
        "datos demográficos; las demás cuentan como «no compartido». No se adivina nada.",
        "summaries.privacy_note": "Para proteger la privacidad, todo grupo de menos de {k} "
        "personas se muestra como «<{k}», y una celda marcada con «*» se oculta para que no se "
        "pueda deducir un grupo pequeño a partir de los totales.",
        "summaries.alt_representation": "Gráfico de barras que compara a quienes participaron con "
        "la comunidad: {sentences}",
        "summaries.multi_note": "Se podía elegir más de una respuesta, así que los conteos suman "
        "más que las personas.",
        "summaries.nobody_shared": "Nadie compartió este dato.",
        "summaries.col_group": "Grupo",
        "summaries.no_gaps": "No se señaló ninguna brecha.",
        "summaries.themes_none": "No hay temas.",
        "summaries.themes_no_ideas": "Todavía no hay ideas, así que no hay temas.",
        "summaries.themes_failed": "No se pudieron encontrar los temas ({error}).",
        "summaries.themes_count.one": "{n} idea quedó en {themes}.",
        "summaries.themes_count.other": "{n} ideas se agruparon en {themes}.",
        "summaries.themes_count_unclear.one": "{n} idea quedó en {themes}; {unclear}.",
        "summaries.themes_count_unclear.other": "{n} ideas se agruparon en {themes}; {unclear}.",
        "summaries.themes_note": "Los temas se encuentran automáticamente a partir de las palabras "
        "que usó la gente (con los cambios de la persona facilitadora); las etiquetas son las "
        "palabras más reveladoras de cada tema. Las citas son palabras de quienes participaron.",
        "summaries.chart_per_theme": "Ideas por tema",
        "summaries.alt_per_theme": "Gráfico de barras de ideas por tema: {items}",
        "summaries.alt_cloud": "Nube de palabras del tema {label}",
        "summaries.label_by_facilitator": " (etiqueta de la persona facilitadora)",
        "summaries.theme_count.one": "{n} idea ({share} %)",
        "summaries.theme_count.other": "{n} ideas ({share} %)",
        "summaries.who_raised": "Quién planteó cada tema, por {dimension}",
        "summaries.who_raised_note": "Personas (no ideas) que plantearon cada tema. Los conteos "
        "menores de {k} se muestran como «<{k}»; «*» oculta una celda que permitiría deducir otra.",
        "summaries.col_theme": "Tema",
        "summaries.no_voting": "En esta sesión no hubo ninguna ronda de votación.",
        "summaries.no_voting_short": "Sin votación.",
        "summaries.option_n": "opción {id}",
        "summaries.round_open": "sigue abierta",
        "summaries.round_closed": "cerrada",
        "summaries.voting_line.one": "{n} persona puso {dots} ({each} cada una) en "
        "{options}; la ronda está {state}.",
        "summaries.voting_line.other": "{n} personas pusieron {dots} ({each} cada una) en "
        "{options}; la ronda está {state}.",
        "summaries.axis_dots": "puntos",
        "summaries.chart_dots": "Puntos por tema (los tres primeros en azul)",
        "summaries.alt_dots": "Gráfico de barras de puntos por tema: {items}",
        "summaries.col_dots": "Puntos",
        "summaries.col_voters": "Votantes",
        "summaries.text_dots": "{label}: {dots}",
        "summaries.no_goals": "En esta sesión no se redactó ninguna meta.",
        "summaries.no_goals_short": "Sin metas.",
        "summaries.goals_note": "Cada meta se revisa según los criterios SMART más la equidad (a "
        "quién beneficia y por qué grupos se informa). Para que una meta esté lista debe ser "
        "específica, medible, con plazo y equitativa; alcanzable y relevante son consejos.",
        "summaries.goal_heading": "Meta {n} ({status})",
        "summaries.status_agreed": "acordada",
        "summaries.status_draft": "borrador",
        "summaries.not_checked_note": "Esta meta todavía no se ha revisado.",
        "summaries.verdict_not_checked": "sin revisar",
        "summaries.met_yes": "sí",
        "summaries.met_no": "no",
        "summaries.met_ok": "bien",
        "summaries.met_warning": "advertencia",
        "summaries.verdict_line": "Veredicto: {verdict} ({met} de {core} criterios básicos "
        "cumplidos).",
        "summaries.col_check": "Criterio",
        "summaries.col_met": "Cumple",
        "summaries.col_why": "Por qué",
        "summaries.col_next": "Siguiente paso",
        "summaries.rewrite_line": "Una forma más sólida: {rewrite}",
        "summaries.nothing_hidden": "La moderación no ocultó nada.",
        "summaries.hidden_line.one": "{n} de {total} fue ocultada por quienes facilitan "
        "(spam, datos personales o abuso). Queda fuera de todas las cifras y temas de arriba; su "
        "texto no se muestra aquí.",
        "summaries.hidden_line.other": "{n} de {total} fueron ocultadas por quienes "
        "facilitan (spam, datos personales o abuso). Quedan fuera de todas las cifras y temas de "
        "arriba; su texto no se muestra aquí.",
        "summaries.col_hidden": "Ocultas",
        "summaries.moderation_log": "Registro de moderación: {hide} acciones de ocultar y "
        "{restore} de restaurar.",
        "summaries.text_hidden": "{n} ocultas",
        "summaries.step_top": "Llevar las prioridades principales a los grupos de trabajo: "
        "{items}.",
        "summaries.step_outreach": "Antes de la próxima sesión, contactar a los grupos que "
        "estuvieron subrepresentados en la sala en comparación con la comunidad: {groups}.",
        "summaries.step_consent": "Menos de la mitad de quienes participaron compartieron datos "
        "demográficos; la próxima vez, explicar por qué los pedimos y cómo se protegen las "
        "respuestas.",
        "summaries.step_goal": "Reforzar la meta {n}: todavía no cumple {criteria} (vea su "
        "revisión arriba).",
        "summaries.step_share": "Compartir este resumen con participantes y socios, en todos los "
        "idiomas de la sesión, y decir qué pasa después.",
        "summaries.thousands": ".",
        "summaries.decimal": ",",
        "summaries.intro": "Lo que dijo la gente, quién participó, qué eligió y qué pasa después. "
        "No se muestran cifras de grupos de menos de {k} personas, para proteger la privacidad.",
        "summaries.header_date": "{kind}, {when}",
        "summaries.lang_switch": "Leer este resumen en",
        "summaries.mostly_hidden": "Muy pocas personas compartieron este dato para una tabla "
        "por grupo: grupos con "
        "menos de {k} personas: {hidden} de {cells}. Abajo se muestra la vista más "
        "general posible.",
        "summaries.collapsed_other": "Todos los demás grupos juntos",
        "summaries.collapsed_total": "Todas las personas que lo compartieron",
        "summaries.nothing_showable": "Menos de {k} personas compartieron este dato, así que no "
        "se puede mostrar ninguna cifra.",
        "summaries.who_raised_hidden": "Demasiado pocas personas por grupo plantearon cada tema "
        "para mostrar quién "
        "planteó qué por {dimension} (celdas con menos de {k} personas: {hidden} de "
        "{cells}). En su lugar: cuántas personas plantearon cada tema.",
        "summaries.who_raised_people": "Personas que plantearon cada tema",
        "summaries.few_voters": "Atención: solo hubo {voters} con voto (menos de {k}), así que "
        "estas prioridades pueden no representar a la sala.",
        "summaries.step_top_few": "Llevar las prioridades principales a los grupos de trabajo, "
        "indicando que solo hubo {voters} con voto: {items}.",
        "summaries.col_share_here": "Parte de participantes",
        "summaries.col_share_community": "Parte de la comunidad",
        "summaries.multi_collapsed": "{n} personas eligieron al menos una de estas respuestas.",
        "summaries.html_title": "Resumen: {title}",
        "summaries.footer_series": "Hecho con pbp-facilitate el {generated} a partir de la serie "
        "{code}. No se muestran grupos de menos de {small_count} personas, ni en este resumen ni "
        "comparándolo con el de una sesión.",
        "summaries.not_shared": "no compartido",
        "summaries.series_page_title": "Resumen de la serie",
        "summaries.series_date": "Sesiones: {n}; {when}",
        "summaries.series_intro": "Una sola imagen de todas las sesiones de esta serie: quién "
        "participó, qué dijo la gente en todas ellas, qué eligió y qué cambió. No se muestran "
        "grupos de menos de {k} personas, ni aquí ni comparando este resumen con el de una "
        "sesión.",
        "summaries.series_total": "Todas las sesiones",
        "summaries.col_session": "Sesión",
        "summaries.col_consented": "Compartieron datos demográficos",
        "summaries.chart_per_session": "Ideas por sesión",
        "summaries.alt_per_session": "Gráfico de barras de ideas por sesión: {items}",
        "summaries.title_series_participation": "Participación en la serie",
        "summaries.series_participation_line": "Sesiones: {sessions}. En total se recogieron "
        "{ideas} de {people}.",
        "summaries.series_people_note": "Los participantes se cuentan por sesión: quien vino a "
        "dos sesiones cuenta dos veces.",
        "summaries.series_privacy_note": "Los conteos suman a quienes compartieron datos "
        "demográficos en cada sesión. Un grupo solo se muestra si tiene al menos {k} personas y "
        "no se puede deducir la parte de una sesión a partir de los resúmenes de las sesiones; "
        "los demás grupos se juntan.",
        "summaries.series_pool_hidden": "Los demás grupos juntos no se pueden mostrar sin revelar "
        "un grupo de menos de {k} personas en una sesión.",
        "summaries.series_themes_line": "Temas encontrados en {ideas} de la serie: {themes}.",
        "summaries.col_sessions_raised": "Planteado en (ideas)",
        "summaries.col_groups_raised": "Planteado por (personas)",
        "summaries.series_groups_note": "Solo se nombran grupos en los que al menos {k} personas "
        "que compartieron datos demográficos plantearon el tema y no se puede deducir el conteo "
        "de una sesión; '–' significa que no se puede mostrar ninguno.",
        "summaries.series_no_voting": "Ninguna sesión de esta serie hizo una votación.",
        "summaries.series_one_vote": "Solo votó la sesión {code}; sus puntos se muestran por tema "
        "de la serie.",
        "summaries.series_votes_line": "Sesiones que votaron: {sessions}; en total, {voters} "
        "con puntos puestos.",
        "summaries.series_votes_shared": "Temas votados en más de una sesión: {n}.",
        "summaries.title_series_goals": "Metas acordadas en la serie",
        "summaries.series_no_agreed": "Todavía no se ha acordado ninguna meta en estas sesiones.",
        "summaries.series_agreed_line": "Metas acordadas hasta ahora: {n}.",
        "summaries.series_drafts": "Metas todavía en borrador: {n}.",
        "summaries.title_series_changes": "Qué cambió de la primera a la última sesión",
        "summaries.series_one_session": "La serie tiene una sola sesión por ahora; todavía no hay "
        "nada que comparar.",
        "summaries.series_change_line": "{first}: {ideas_a} de {people_a} ({consent_a} "
        "compartieron datos demográficos). {latest}: {ideas_b} de {people_b} ({consent_b} "
        "compartieron datos demográficos).",
        "summaries.series_new_themes": "Nuevo en la última sesión: {items}.",
        "summaries.series_gone_themes": "No planteado en la última sesión: {items}.",
        "summaries.col_first": "Parte en {code}",
        "summaries.col_latest": "Parte en {code}",
        "summaries.col_change": "Cambio (puntos)",
        "summaries.site_title": "Resúmenes para la comunidad",
        "summaries.site_intro": "Lo que nos dijeron los vecinos en cada sesión y en cada serie, "
        "quién participó y qué pasa después. Nunca se muestran grupos de menos de {k} personas.",
        "summaries.site_series": "Series de sesiones",
        "summaries.site_series_n": "{n} sesiones",
        "summaries.site_sessions": "Sesiones",
        "summaries.site_back": "Todos los resúmenes publicados",
        "summaries.site_footer": "Hecho con pbp-facilitate. Estas páginas no hacen solicitudes a "
        "otros sitios y no contienen nombres ni claves de participantes, ni grupos de menos de "
        "{k} personas.",
        "summaries.site_switch": "Leer en",
        "summaries.table_region": "Tabla (deslice hacia el lado para ver todas las columnas)",
    },
}

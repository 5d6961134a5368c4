"""Facilitator panels (the equity panel and the dashboard widgets): English and Spanish.

Keys start with ``panels.`` so they never collide with another area's; the equity
panel's keys start with ``panels.eq_``. Some strings hold HTML (``<b>``, ``<code>``):
they are our own markup, and the panel escapes every value put into their placeholders.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "panels.theme_pair": "{a} and {b}",
        "panels.eq_gaps_title": "Missing from the room: reach out now",
        "panels.eq_gaps_over": "More present in the room than in the community",
        "panels.eq_gaps_none": "No group is under- or over-represented beyond the threshold",
        "panels.eq_gaps_wait": "Too few have shared to compare yet",
        "panels.eq_tab_rep": "Room vs community",
        "panels.eq_tab_themes": "Themes by group",
        "panels.eq_tab_votes": "Votes by group",
        "panels.eq_tab_rw": "Re-weighted themes",
        "panels.eq_shared.one": (
            "{c} of {n} participant chose to share demographics; everyone else counts as 'not "
            "shared'. Nothing is guessed."
        ),
        "panels.eq_shared.other": (
            "{c} of {n} participants chose to share demographics; everyone else counts as 'not "
            "shared'. Nothing is guessed."
        ),
        "panels.eq_nothing.one": (
            "<b>Nothing shared yet.</b> The {n} participant so far has not chosen to "
            "share demographics, so the room cannot be compared with the community. This page "
            "updates by itself as people share on their phones."
        ),
        "panels.eq_nothing.other": (
            "<b>Nothing shared yet.</b> None of the {n} participants so far has chosen to "
            "share demographics, so the room cannot be compared with the community. This page "
            "updates by itself as people share on their phones."
        ),
        "panels.eq_nobody": (
            "<b>Nothing shared yet.</b> No participants have joined this session yet. This "
            "page updates by itself as people join and share on their phones."
        ),
        "panels.eq_no_questions": (
            "This session's survey asks no demographic questions, so there is nothing to "
            "compare. Add a <code>demographics</code> section to the survey for the next "
            "session."
        ),
        "panels.eq_no_bench": (
            "There are no community figures for {dim} in {file}, so the room cannot be "
            "compared with the community on it; the breakdowns below still show who raised "
            "what."
        ),
        "panels.eq_multiple": (
            "People could choose more than one answer for {dim}; someone who chose several "
            "counts in the group 'more than one'."
        ),
        "panels.eq_small": (
            "Counts of fewer than {k} people read '<{k}'; a cell marked '*' is hidden so that "
            "a small count cannot be worked out from the totals."
        ),
        "panels.eq_themes_note": "People (not ideas) who raised each theme, by {dim}.",
        "panels.eq_no_themes": (
            "No themes yet: themes appear here once the live session workbook has grouped the "
            "ideas."
        ),
        "panels.eq_votes_note": (
            "Dots each theme got in voting round {r} ({status}), by the voter's {dim}."
        ),
        "panels.eq_no_votes": "No voting round yet.",
        "panels.eq_no_ballots": "No votes have been placed yet in round {r}.",
        "panels.eq_priorities": "Priorities of the most under-represented group",
        "panels.eq_rw_note": (
            "Share of contributors who raised each theme, raw and re-weighted to the "
            "community's make-up by {dim}."
        ),
        "panels.eq_rw_needs_bench": (
            "Re-weighting needs community figures for {dim}; pick race or ethnicity, "
            "neighbourhood or age band."
        ),
        "panels.eq_method": "Method",
        "panels.eq_chart_alt": "Bar chart of participants against the community by {dim}. ",
        "panels.eq_live": "● live · last change {t}",
        "panels.eq_computing": "updating…",
        "panels.eq_failing": "● live updates failing: {e}",
        "panels.eq_theme": "Theme",
        "panels.eq_compare": "Compare by",
        "panels.eq_no_figures": " (no community figures)",
        "panels.eq_no_session": "No session yet: create one in the live session workbook.",
        "panels.eq_update_failed": "The equity view could not be updated: {e}",
        "panels.eq_round_open": "open",
        "panels.eq_round_closed": "closed",
        # the dashboard (accessibility, the room screen, counted phrases)
        "panels.qr_alt": "QR code to join the session: it opens {url}; the join code is {code}",
        "panels.cloud_alt": "Word cloud of the theme “{label}”",
        "panels.goal_list": "Goals",
        "panels.goal_themes": "Themes",
        "panels.join_code": "Join code",
        "panels.join_or_open": "or open",
        "panels.join_none": "No session yet: create one above.",
        "panels.join_closed": "closed",
        "panels.present_scan": "Scan the code or go to",
        "panels.present_none": "No session",
        "panels.present_heard": "{title}: what we heard",
        "panels.present_wait": "Themes appear as ideas arrive.",
        "panels.present_vote_now": "Vote now",
        "panels.present_results": "Voting results",
        "panels.dots_each.one": "{n} dot each",
        "panels.dots_each.other": "{n} dots each",
        "panels.voters.one": "{n} voter",
        "panels.voters.other": "{n} voters",
        "panels.voters_bold.one": "<b>{n}</b> voter",
        "panels.voters_bold.other": "<b>{n}</b> voters",
        "panels.dots.one": "{n} dot",
        "panels.dots.other": "{n} dots",
        "panels.dots_placed.one": "{n} dot placed",
        "panels.dots_placed.other": "{n} dots placed",
        "panels.vote_open_on.one": (
            "Voting is open on {n} theme; participants see it on their page now."
        ),
        "panels.vote_open_on.other": (
            "Voting is open on {n} themes; participants see it on their page now."
        ),
        "panels.not_on_ballot.one": (
            "{n} theme is not on this ballot (the themes changed since it opened): start a new "
            "round to vote on it."
        ),
        "panels.not_on_ballot.other": (
            "{n} themes are not on this ballot (the themes changed since it opened): start a new "
            "round to vote on them."
        ),
        "panels.vote_headcount": "People in the room",
        "panels.vote_headcount_help": (
            "Optional: how many people you counted in the room (0: not counted); more ballots "
            "than that are flagged."
        ),
        "panels.vote_seen.one": "{n} person took part before this round",
        "panels.vote_seen.other": "{n} people took part before this round",
        "panels.vote_over_seen.one": (
            "More ballots than people seen: only {n} person took part in the session before "
            "this round (ideas, answers, reactions or earlier votes)."
        ),
        "panels.vote_over_seen.other": (
            "More ballots than people seen: only {n} people took part in the session before "
            "this round (ideas, answers, reactions or earlier votes)."
        ),
        "panels.vote_over_headcount.one": (
            "More ballots than people in the room: you counted {n} person."
        ),
        "panels.vote_over_headcount.other": (
            "More ballots than people in the room: you counted {n} people."
        ),
        "panels.vote_unseen.one": "{n} ballot came from a phone not seen before the round.",
        "panels.vote_unseen.other": "{n} ballots came from phones not seen before the round.",
        "panels.vote_devices": (
            "Without accounts, one person with several browsers or phones counts as several "
            "voters; compare with a show of hands before relying on close results."
        ),
        "panels.ideas.one": "{n} idea",
        "panels.ideas.other": "{n} ideas",
        "panels.themes.one": "{n} theme",
        "panels.themes.other": "{n} themes",
        "panels.board_early.one": "{n} idea; themes appear once there are a few ideas.",
        "panels.board_early.other": "{n} ideas; themes appear once there are a few ideas.",
        "panels.ideas_placed": "ideas placed: {placed} of {n}",
        "panels.feed_shown.one": "<b>{n}</b> idea shown to everyone",
        "panels.feed_shown.other": "<b>{n}</b> ideas shown to everyone",
        "panels.hid_flagged.one": "Hid {n} flagged idea.",
        "panels.hid_flagged.other": "Hid {n} flagged ideas.",
        "panels.eq_unthemed.one": (
            "{n} newer idea is not in a theme yet; it counts after the next theme update."
        ),
        "panels.eq_unthemed.other": (
            "{n} newer ideas are not in a theme yet; they count after the next theme update."
        ),
        "panels.fit_unreachable": (
            "pbp serve did not answer the theme update ({error}); it is tried again on the "
            "next change."
        ),
    },
    "es": {
        "panels.theme_pair": "{a} y {b}",
        "panels.eq_gaps_title": "Faltan en la sala: invítelos ahora",
        "panels.eq_gaps_over": "Más presentes en la sala que en la comunidad",
        "panels.eq_gaps_none": "Ningún grupo está sub- o sobrerrepresentado más allá del umbral",
        "panels.eq_gaps_wait": "Todavía muy pocos han compartido para comparar",
        "panels.eq_tab_rep": "Sala y comunidad",
        "panels.eq_tab_themes": "Temas por grupo",
        "panels.eq_tab_votes": "Votos por grupo",
        "panels.eq_tab_rw": "Temas reponderados",
        "panels.eq_shared.one": (
            "{c} de {n} participante eligió compartir sus datos demográficos; los demás "
            "cuentan como 'no compartido'. No se adivina nada."
        ),
        "panels.eq_shared.other": (
            "{c} de {n} participantes eligieron compartir sus datos demográficos; los demás "
            "cuentan como 'no compartido'. No se adivina nada."
        ),
        "panels.eq_nothing.one": (
            "<b>Todavía no se ha compartido nada.</b> La {n} persona participante no ha "
            "elegido compartir sus datos demográficos, así que no se puede comparar la sala "
            "con la comunidad. Esta página se actualiza sola a medida que la gente los "
            "comparte desde su teléfono."
        ),
        "panels.eq_nothing.other": (
            "<b>Todavía no se ha compartido nada.</b> Ninguno de los {n} participantes ha "
            "elegido compartir sus datos demográficos, así que no se puede comparar la sala "
            "con la comunidad. Esta página se actualiza sola a medida que la gente los "
            "comparte desde su teléfono."
        ),
        "panels.eq_nobody": (
            "<b>Todavía no se ha compartido nada.</b> Aún no hay participantes en esta sesión. "
            "Esta página se actualiza sola a medida que la gente se une y comparte desde su "
            "teléfono."
        ),
        "panels.eq_no_questions": (
            "La encuesta de esta sesión no hace preguntas demográficas, así que no hay nada "
            "que comparar. Añada una sección <code>demographics</code> a la encuesta para la "
            "próxima sesión."
        ),
        "panels.eq_no_bench": (
            "No hay cifras de la comunidad para {dim} en {file}, así que no se puede comparar "
            "la sala con la comunidad en esto; los desgloses de abajo siguen mostrando quién "
            "propuso qué."
        ),
        "panels.eq_multiple": (
            "Se podía elegir más de una respuesta para {dim}; quien eligió varias cuenta en el "
            "grupo 'more than one'."
        ),
        "panels.eq_small": (
            "Los conteos de menos de {k} personas aparecen como '<{k}'; una celda con '*' se "
            "oculta para que no se pueda deducir un conteo pequeño a partir de los totales."
        ),
        "panels.eq_themes_note": "Personas (no ideas) que propusieron cada tema, por {dim}.",
        "panels.eq_no_themes": (
            "Todavía no hay temas: aparecen aquí cuando el cuaderno de la sesión en vivo haya "
            "agrupado las ideas."
        ),
        "panels.eq_votes_note": (
            "Puntos que recibió cada tema en la ronda de votación {r} ({status}), por {dim} de "
            "quien votó."
        ),
        "panels.eq_no_votes": "Todavía no hay ronda de votación.",
        "panels.eq_no_ballots": "Todavía no hay votos en la ronda {r}.",
        "panels.eq_priorities": "Prioridades del grupo más subrepresentado",
        "panels.eq_rw_note": (
            "Parte de quienes aportaron ideas que propusieron cada tema, sin ajustar y "
            "reponderada a la composición de la comunidad por {dim}."
        ),
        "panels.eq_rw_needs_bench": (
            "La reponderación necesita cifras de la comunidad para {dim}; elija raza o etnia, "
            "vecindario o grupo de edad."
        ),
        "panels.eq_method": "Método",
        "panels.eq_chart_alt": (
            "Gráfico de barras de participantes frente a la comunidad por {dim}. "
        ),
        "panels.eq_live": "● en vivo · último cambio {t}",
        "panels.eq_computing": "actualizando…",
        "panels.eq_failing": "● fallan las actualizaciones en vivo: {e}",
        "panels.eq_theme": "Tema",
        "panels.eq_compare": "Comparar por",
        "panels.eq_no_figures": " (sin cifras de la comunidad)",
        "panels.eq_no_session": (
            "Todavía no hay sesión: cree una en el cuaderno de la sesión en vivo."
        ),
        "panels.eq_update_failed": "No se pudo actualizar la vista de equidad: {e}",
        "panels.eq_round_open": "abierta",
        "panels.eq_round_closed": "cerrada",
        "panels.qr_alt": "Código QR para unirse a la sesión: abre {url}; el código es {code}",
        "panels.cloud_alt": "Nube de palabras del tema «{label}»",
        "panels.goal_list": "Metas",
        "panels.goal_themes": "Temas",
        "panels.join_code": "Código para unirse",
        "panels.join_or_open": "o abra",
        "panels.join_none": "Todavía no hay sesión: cree una arriba.",
        "panels.join_closed": "cerrada",
        "panels.present_scan": "Escanee el código o vaya a",
        "panels.present_none": "No hay sesión",
        "panels.present_heard": "{title}: lo que escuchamos",
        "panels.present_wait": "Los temas aparecen a medida que llegan las ideas.",
        "panels.present_vote_now": "Voten ahora",
        "panels.present_results": "Resultados de la votación",
        "panels.dots_each.one": "{n} punto por persona",
        "panels.dots_each.other": "{n} puntos por persona",
        "panels.voters.one": "{n} votante",
        "panels.voters.other": "{n} votantes",
        "panels.voters_bold.one": "<b>{n}</b> votante",
        "panels.voters_bold.other": "<b>{n}</b> votantes",
        "panels.dots.one": "{n} punto",
        "panels.dots.other": "{n} puntos",
        "panels.dots_placed.one": "{n} punto puesto",
        "panels.dots_placed.other": "{n} puntos puestos",
        "panels.vote_open_on.one": (
            "La votación está abierta sobre {n} tema; los participantes ya la ven en su página."
        ),
        "panels.vote_open_on.other": (
            "La votación está abierta sobre {n} temas; los participantes ya la ven en su página."
        ),
        "panels.not_on_ballot.one": (
            "{n} tema no está en esta papeleta (los temas cambiaron desde que se abrió): abra una "
            "ronda nueva para votarlo."
        ),
        "panels.not_on_ballot.other": (
            "{n} temas no están en esta papeleta (los temas cambiaron desde que se abrió): abra "
            "una ronda nueva para votarlos."
        ),
        "panels.vote_headcount": "Personas en la sala",
        "panels.vote_headcount_help": (
            "Opcional: cuántas personas contó en la sala (0: sin contar); se avisa si hay más "
            "papeletas."
        ),
        "panels.vote_seen.one": "{n} persona participó antes de esta ronda",
        "panels.vote_seen.other": "{n} personas participaron antes de esta ronda",
        "panels.vote_over_seen.one": (
            "Más papeletas que personas vistas: solo {n} persona participó en la sesión antes "
            "de esta ronda (ideas, respuestas, reacciones o votos anteriores)."
        ),
        "panels.vote_over_seen.other": (
            "Más papeletas que personas vistas: solo {n} personas participaron en la sesión "
            "antes de esta ronda (ideas, respuestas, reacciones o votos anteriores)."
        ),
        "panels.vote_over_headcount.one": (
            "Más papeletas que personas en la sala: usted contó {n} persona."
        ),
        "panels.vote_over_headcount.other": (
            "Más papeletas que personas en la sala: usted contó {n} personas."
        ),
        "panels.vote_unseen.one": (
            "{n} papeleta vino de un teléfono que no se había visto antes de la ronda."
        ),
        "panels.vote_unseen.other": (
            "{n} papeletas vinieron de teléfonos que no se habían visto antes de la ronda."
        ),
        "panels.vote_devices": (
            "Sin cuentas, una persona con varios navegadores o teléfonos cuenta como varios "
            "votantes; compare con una votación a mano alzada antes de fiarse de resultados "
            "ajustados."
        ),
        "panels.ideas.one": "{n} idea",
        "panels.ideas.other": "{n} ideas",
        "panels.themes.one": "{n} tema",
        "panels.themes.other": "{n} temas",
        "panels.board_early.one": "{n} idea; los temas aparecen cuando haya algunas ideas.",
        "panels.board_early.other": "{n} ideas; los temas aparecen cuando haya algunas ideas.",
        "panels.ideas_placed": "ideas ubicadas: {placed} de {n}",
        "panels.feed_shown.one": "<b>{n}</b> idea visible para todos",
        "panels.feed_shown.other": "<b>{n}</b> ideas visibles para todos",
        "panels.hid_flagged.one": "Se ocultó {n} idea marcada.",
        "panels.hid_flagged.other": "Se ocultaron {n} ideas marcadas.",
        "panels.eq_unthemed.one": (
            "{n} idea reciente aún no está en un tema; cuenta tras la próxima actualización."
        ),
        "panels.eq_unthemed.other": (
            "{n} ideas recientes aún no están en un tema; cuentan tras la próxima actualización."
        ),
        "panels.fit_unreachable": (
            "pbp serve no respondió a la actualización de temas ({error}); se intenta de nuevo "
            "con el próximo cambio."
        ),
    },
}

"""Reactions and opinion groups: the phone's reaction page, the dashboard's reactions tab,
"who is in each group" and the summary's "Where we agree": English and Spanish."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        # phone
        "opinions.react_link_title": "React to other people's ideas",
        "opinions.react_link_intro": "Say whether you agree with ideas others shared. It helps "
        "the group find common ground.",
        "opinions.react_link": "Start reacting",
        "opinions.react_title": "What do you think?",
        "opinions.react_intro": "One idea at a time. Choose Agree, Disagree or Pass; stop "
        "whenever you like.",
        "opinions.react_idea": "Someone wrote:",
        "opinions.agree": "Agree",
        "opinions.disagree": "Disagree",
        "opinions.pass": "Pass / not sure",
        "opinions.saved": "Saved. Here is the next idea.",
        "opinions.left.one": "{n} idea left to react to.",
        "opinions.left.other": "{n} ideas left to react to.",
        "opinions.stop": "Stop for now and go back",
        "opinions.all_done": "You have reacted to every idea so far. Thank you! New ideas may "
        "still come in.",
        "opinions.closed": "Reactions are closed right now. Thank you for taking part.",
        "opinions.err_gone": "That idea is no longer available. Here is another one.",
        "opinions.err_choice": "Choose Agree, Disagree or Pass for the idea.",
        "opinions.err_own": "That is your own idea; here is someone else's.",
        # dashboard
        "opinions.tab": "Reactions",
        "opinions.round_none": "No reactions round yet.",
        "opinions.round_open": "Reactions are open for: {prompt}.",
        "opinions.round_closed": "Reactions are closed.",
        "opinions.all_prompts": "All questions",
        "opinions.open_button": "Open reactions",
        "opinions.close_button": "Close reactions",
        "opinions.prompt_label": "Question",
        "opinions.participation": "{votes} reactions from {people} participants on {ideas} ideas.",
        "opinions.bars_title": "Ideas and reactions",
        "opinions.bar_label": "{agree} agree, {disagree} disagree, {passes} pass",
        "opinions.map_title": "Opinion map",
        "opinions.map_note": "Each dot is a participant (no names), placed by how they reacted; "
        "colours are opinion groups.",
        "opinions.not_placed": "not yet placed",
        "opinions.group": "Group {g}",
        "opinions.people.one": "{n} participant",
        "opinions.people.other": "{n} participants",
        "opinions.no_groups": "Not enough reactions for opinion groups yet: a participant needs "
        "{min_votes} reactions to be placed.",
        "opinions.consensus_title": "Agreed across all groups",
        "opinions.divisive_title": "Divisive ideas",
        "opinions.none_yet": "None yet.",
        "opinions.agree_share": "{share} agree",
        "opinions.refresh": "Refresh",
        "opinions.error": "Could not compute the opinion groups: {error}",
        # equity: who is in each group
        "opinions.who_title": "Who is in each opinion group",
        "opinions.who_note": "Only participants who consented to share demographics; counts "
        "under {k} are hidden.",
        "opinions.who_hidden": "hidden (fewer than {k})",
        "opinions.who_unknown": "not shared",
        "opinions.who_none": "No opinion groups yet.",
        # summary
        "opinions.summary_title": "Where we agree",
        "opinions.summary_intro": "{people} participants reacted {votes} times to each other's "
        "ideas; {groups} opinion groups emerged.",
        "opinions.summary_no_groups": "{people} participants reacted {votes} times to each "
        "other's ideas; too few for opinion groups.",
        "opinions.summary_none": "No reactions were collected in this session.",
        "opinions.summary_consensus": "Ideas every group agreed with",
        "opinions.summary_distinct": "What sets each group apart",
        "opinions.summary_agreed_by": "agreed by {share} of the least agreeing group",
        "opinions.summary_group_view": "{direction} ({share} of the group)",
        "opinions.direction_agree": "agrees",
        "opinions.direction_disagree": "disagrees",
    },
    "es": {
        "opinions.react_link_title": "Reaccione a las ideas de otras personas",
        "opinions.react_link_intro": "Diga si está de acuerdo con las ideas que otras personas "
        "compartieron. Ayuda al grupo a encontrar puntos en común.",
        "opinions.react_link": "Empezar a reaccionar",
        "opinions.react_title": "¿Qué opina usted?",
        "opinions.react_intro": "Una idea a la vez. Elija De acuerdo, En desacuerdo o Paso; pare "
        "cuando quiera.",
        "opinions.react_idea": "Alguien escribió:",
        "opinions.agree": "De acuerdo",
        "opinions.disagree": "En desacuerdo",
        "opinions.pass": "Paso / no estoy seguro",
        "opinions.saved": "Guardado. Aquí está la siguiente idea.",
        "opinions.left.one": "Queda {n} idea por reaccionar.",
        "opinions.left.other": "Quedan {n} ideas por reaccionar.",
        "opinions.stop": "Parar por ahora y volver",
        "opinions.all_done": "Ya reaccionó a todas las ideas por ahora. ¡Gracias! Pueden llegar "
        "ideas nuevas.",
        "opinions.closed": "Las reacciones están cerradas ahora. Gracias por participar.",
        "opinions.err_gone": "Esa idea ya no está disponible. Aquí tiene otra.",
        "opinions.err_choice": "Elija De acuerdo, En desacuerdo o Paso para la idea.",
        "opinions.err_own": "Esa es su propia idea; aquí tiene la de otra persona.",
        "opinions.tab": "Reacciones",
        "opinions.round_none": "Todavía no hay una ronda de reacciones.",
        "opinions.round_open": "Reacciones abiertas para: {prompt}.",
        "opinions.round_closed": "Las reacciones están cerradas.",
        "opinions.all_prompts": "Todas las preguntas",
        "opinions.open_button": "Abrir reacciones",
        "opinions.close_button": "Cerrar reacciones",
        "opinions.prompt_label": "Pregunta",
        "opinions.participation": "{votes} reacciones de {people} participantes sobre {ideas} "
        "ideas.",
        "opinions.bars_title": "Ideas y reacciones",
        "opinions.bar_label": "{agree} de acuerdo, {disagree} en desacuerdo, {passes} paso",
        "opinions.map_title": "Mapa de opiniones",
        "opinions.map_note": "Cada punto es un participante (sin nombres), ubicado según sus "
        "reacciones; los colores son grupos de opinión.",
        "opinions.not_placed": "todavía sin ubicar",
        "opinions.group": "Grupo {g}",
        "opinions.people.one": "{n} participante",
        "opinions.people.other": "{n} participantes",
        "opinions.no_groups": "Todavía no hay suficientes reacciones para formar grupos de "
        "opinión: un participante necesita {min_votes} reacciones para ser ubicado.",
        "opinions.consensus_title": "Acuerdo entre todos los grupos",
        "opinions.divisive_title": "Ideas que dividen",
        "opinions.none_yet": "Ninguna todavía.",
        "opinions.agree_share": "{share} de acuerdo",
        "opinions.refresh": "Actualizar",
        "opinions.error": "No se pudieron calcular los grupos de opinión: {error}",
        "opinions.who_title": "Quién está en cada grupo de opinión",
        "opinions.who_note": "Solo participantes que aceptaron compartir sus datos; los conteos "
        "menores de {k} se ocultan.",
        "opinions.who_hidden": "oculto (menos de {k})",
        "opinions.who_unknown": "no compartido",
        "opinions.who_none": "Todavía no hay grupos de opinión.",
        "opinions.summary_title": "Dónde estamos de acuerdo",
        "opinions.summary_intro": "{people} participantes reaccionaron {votes} veces a las ideas "
        "de los demás; surgieron {groups} grupos de opinión.",
        "opinions.summary_no_groups": "{people} participantes reaccionaron {votes} veces a las "
        "ideas de los demás; demasiado pocas para formar grupos de opinión.",
        "opinions.summary_none": "En esta sesión no se recogieron reacciones.",
        "opinions.summary_consensus": "Ideas con las que todos los grupos estuvieron de acuerdo",
        "opinions.summary_distinct": "Lo que distingue a cada grupo",
        "opinions.summary_agreed_by": "de acuerdo el {share} del grupo menos de acuerdo",
        "opinions.summary_group_view": "{direction} ({share} del grupo)",
        "opinions.direction_agree": "de acuerdo",
        "opinions.direction_disagree": "en desacuerdo",
    },
}

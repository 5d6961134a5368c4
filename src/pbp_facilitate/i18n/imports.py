"""The import report and plan (``pbp import``): English and Spanish.

Keys start with ``imports.``:

- ``imports.head``, ``imports.dates_*``, ``imports.plan``: the report's first lines;
- ``imports.role_*``: what the plan does with a column; ``imports.how_*``: why;
- ``imports.family_*``: the private families (IP, e-mail, names...);
- ``imports.added``, ``imports.would_add``, ``imports.new_prompts*``, ``imports.withheld``,
  ``imports.demo_*``: the summary;
- ``imports.n_*``: counted fragments (``.one`` / ``.other``, e.g. "1 row read", "3 filas
  leídas") filling the placeholders of those sentences; a word that agrees with the count is
  part of its fragment. ``imports.added``, ``imports.would_add``, ``imports.answers`` and the
  Polis notes are counted sentences themselves;
- ``imports.skip_*``: the reasons of skipped rows and answers, by code;
- ``imports.polis_*``: notes on Polis moderation.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "imports.head": "{file}: {label} ({encoding}{layout}), {rows}, into session {session}.",
        "imports.n_rows_read.one": "{n} row read",
        "imports.n_rows_read.other": "{n} rows read",
        "imports.dates_day_first": "Dates read day/month for the whole file (some date's first "
        "number is over 12).",
        "imports.dates_month_first": "Dates read month/day for the whole file (some date's "
        "second number is over 12).",
        "imports.dates_ambiguous": "Dates are ambiguous (every day is 12 or under): read "
        "month/day.",
        "imports.dates_mixed": "Dates use both day/month orders: each read on its own.",
        "imports.plan": "Plan:",
        "imports.role_prompt": "-> prompt {target} ({how})",
        "imports.role_new_prompt": "-> NEW prompt {target} (kind imported; {how})",
        "imports.role_demographic_stored": "-> demographic {target} ({how}; stored)",
        "imports.role_demographic_withheld": "-> demographic {target} ({how}; not stored: no "
        "consent recorded)",
        "imports.role_private": "-> private ({how}): withheld, never stored",
        "imports.role_metadata": "-> ignored ({how})",
        "imports.role_choice": "-> not imported ({how})",
        "imports.role_empty": "-> ignored (empty)",
        "imports.answers.one": ", {n} answer",
        "imports.answers.other": ", {n} answers",
        "imports.no_header": "(no header)",
        "imports.how_header": "header",
        "imports.how_similar": "similar wording",
        "imports.how_values": "its values are the question's options",
        "imports.how_mapping": "mapping",
        "imports.how_free_text": "free text",
        "imports.how_closed": "closed question",
        "imports.how_option": "option of a closed question; map it to import it",
        "imports.how_mapped_out": "left out by the mapping",
        "imports.how_response_id": "response id",
        "imports.how_time": "time",
        "imports.how_metadata": "metadata",
        "imports.family_ip": "IP address",
        "imports.family_email": "e-mail",
        "imports.family_name": "name",
        "imports.family_contact": "contact details",
        "imports.family_location": "location",
        "imports.family_device": "device or network",
        "imports.added.one": "Added {n} idea from {responses}; {present} ({present_ideas}); "
        "{skipped}.",
        "imports.added.other": "Added {n} ideas from {responses}; {present} ({present_ideas}); "
        "{skipped}.",
        "imports.would_add.one": "Would add {n} idea from {responses} (dry run: nothing "
        "written); {present} ({present_ideas}); {skipped}.",
        "imports.would_add.other": "Would add {n} ideas from {responses} (dry run: nothing "
        "written); {present} ({present_ideas}); {skipped}.",
        "imports.n_responses.one": "{n} response",
        "imports.n_responses.other": "{n} responses",
        "imports.n_responses_present.one": "{n} response already there",
        "imports.n_responses_present.other": "{n} responses already there",
        "imports.n_ideas_present.one": "{n} idea already present",
        "imports.n_ideas_present.other": "{n} ideas already present",
        "imports.n_skipped.one": "{n} skipped",
        "imports.n_skipped.other": "{n} skipped",
        "imports.new_prompts": "New prompts (created or reused, kind imported): {prompts}",
        "imports.new_prompts_dry": "New prompts (would create, kind imported): {prompts}",
        "imports.withheld": "Withheld (private, never stored): {columns}.",
        "imports.demo_stored": "Demographics ({columns}): answers of {respondents} stored, with "
        "the survey's consent recorded on this import.",
        "imports.n_respondents.one": "{n} respondent",
        "imports.n_respondents.other": "{n} respondents",
        "imports.demo_withheld": "Demographics ({columns}): not stored, because the import did "
        "not say the survey collected consent; if it did, import again with "
        "--demographics-consented.",
        "imports.skipped": "Skipped:",
        "imports.skip_line": "  {n} x {reason}: {where}{more}",
        "imports.skip_more": ", and {n} more",
        "imports.row": "row {row}",
        "imports.column": "column {n} ({header})",
        "imports.skip_empty_row": "empty row",
        "imports.skip_header_row": "repeats the header row",
        "imports.skip_no_answers": "no answer in the imported columns",
        "imports.skip_duplicate_row": "duplicate row (same answers as an earlier row)",
        "imports.skip_no_text": "no letter or digit (e.g. '-' or '...')",
        "imports.skip_too_long": "over the import limit of {limit} characters "
        "(PBP_IMPORT_MAX_TEXT_CHARS)",
        "imports.skip_nul_character": "contains a NUL character (binary debris)",
        "imports.skip_moderated_out": "moderated out in Polis (moderated = -1)",
        "imports.skip_not_moderated": "not yet moderated in Polis (--only-accepted)",
        "imports.skip_unknown_heading": "under a heading that names no prompt",
        "imports.skip_mapped_out": "under a heading the mapping leaves out",
        "imports.not_imported": "Not imported: {column} ({cells}); map it with --mapping to "
        "import it.",
        "imports.n_cells_filled.one": "{n} non-empty cell",
        "imports.n_cells_filled.other": "{n} non-empty cells",
        "imports.ignored": "Ignored metadata columns (never stored): {columns}.",
        "imports.polis_pending.one": "{n} comment not yet moderated in Polis (moderated = 0) "
        "imported as pending moderation: hidden until a facilitator accepts it (restore it on "
        "the dashboard); --only-accepted skips it instead.",
        "imports.polis_pending.other": "{n} comments not yet moderated in Polis (moderated = 0) "
        "imported as pending moderation: hidden until a facilitator accepts them (restore them "
        "on the dashboard); --only-accepted skips them instead.",
        "imports.polis_moderated_out.one": "{n} comment moderated out in Polis (moderated = -1) "
        "imported hidden: never shown, listed or summarised; its votes count in the opinion "
        "groups as Polis counts them.",
        "imports.polis_moderated_out.other": "{n} comments moderated out in Polis (moderated = "
        "-1) imported hidden: never shown, listed or summarised; their votes count in the "
        "opinion groups as Polis counts them.",
        "imports.polis_skipped.one": "{n} comment not yet moderated in Polis skipped "
        "(--only-accepted).",
        "imports.polis_skipped.other": "{n} comments not yet moderated in Polis skipped "
        "(--only-accepted).",
        "imports.warning": "Warning: {text}",
        "imports.votes_head": "{file}: Polis {kind} ({encoding}), {rows}, into session {session}.",
        "imports.votes_added": "Added or changed {reactions} of {people} on {ideas}; already "
        "present: {present}.",
        "imports.votes_would_add": "Would add or change {reactions} of {people} on {ideas} (dry "
        "run: nothing written); already present: {present}.",
        "imports.votes_skipped": "  skipped ({reason}): {n}",
    },
    "es": {
        "imports.head": "{file}: {label} ({encoding}{layout}), {rows}, en la sesión {session}.",
        "imports.n_rows_read.one": "{n} fila leída",
        "imports.n_rows_read.other": "{n} filas leídas",
        "imports.dates_day_first": "Fechas leídas día/mes en todo el archivo (el primer número "
        "de alguna fecha pasa de 12).",
        "imports.dates_month_first": "Fechas leídas mes/día en todo el archivo (el segundo "
        "número de alguna fecha pasa de 12).",
        "imports.dates_ambiguous": "Fechas ambiguas (ningún día pasa de 12): leídas mes/día.",
        "imports.dates_mixed": "Las fechas usan los dos órdenes día/mes: cada una se leyó por "
        "separado.",
        "imports.plan": "Plan:",
        "imports.role_prompt": "-> pregunta {target} ({how})",
        "imports.role_new_prompt": "-> pregunta NUEVA {target} (tipo importada; {how})",
        "imports.role_demographic_stored": "-> dato demográfico {target} ({how}; guardado)",
        "imports.role_demographic_withheld": "-> dato demográfico {target} ({how}; no guardado: "
        "sin consentimiento registrado)",
        "imports.role_private": "-> privada ({how}): retenida, nunca se guarda",
        "imports.role_metadata": "-> ignorada ({how})",
        "imports.role_choice": "-> no importada ({how})",
        "imports.role_empty": "-> ignorada (vacía)",
        "imports.answers.one": ", {n} respuesta",
        "imports.answers.other": ", {n} respuestas",
        "imports.no_header": "(sin encabezado)",
        "imports.how_header": "encabezado",
        "imports.how_similar": "redacción parecida",
        "imports.how_values": "sus valores son las opciones de la pregunta",
        "imports.how_mapping": "correspondencia",
        "imports.how_free_text": "texto libre",
        "imports.how_closed": "pregunta cerrada",
        "imports.how_option": "opción de una pregunta cerrada; indíquela en la correspondencia "
        "para importarla",
        "imports.how_mapped_out": "excluida por la correspondencia",
        "imports.how_response_id": "identificador de respuesta",
        "imports.how_time": "hora",
        "imports.how_metadata": "metadatos",
        "imports.family_ip": "dirección IP",
        "imports.family_email": "correo electrónico",
        "imports.family_name": "nombre",
        "imports.family_contact": "datos de contacto",
        "imports.family_location": "ubicación",
        "imports.family_device": "dispositivo o red",
        "imports.added.one": "Se añadió {n} idea de {responses}; {present} ({present_ideas}); "
        "{skipped}.",
        "imports.added.other": "Se añadieron {n} ideas de {responses}; {present} "
        "({present_ideas}); {skipped}.",
        "imports.would_add.one": "Se añadiría {n} idea de {responses} (prueba: no se escribió "
        "nada); {present} ({present_ideas}); {skipped}.",
        "imports.would_add.other": "Se añadirían {n} ideas de {responses} (prueba: no se "
        "escribió nada); {present} ({present_ideas}); {skipped}.",
        "imports.n_responses.one": "{n} respuesta",
        "imports.n_responses.other": "{n} respuestas",
        "imports.n_responses_present.one": "{n} respuesta ya estaba",
        "imports.n_responses_present.other": "{n} respuestas ya estaban",
        "imports.n_ideas_present.one": "{n} idea ya guardada",
        "imports.n_ideas_present.other": "{n} ideas ya guardadas",
        "imports.n_skipped.one": "{n} omitida",
        "imports.n_skipped.other": "{n} omitidas",
        "imports.new_prompts": "Preguntas nuevas (creadas o reutilizadas, tipo importada): "
        "{prompts}",
        "imports.new_prompts_dry": "Preguntas nuevas (se crearían, tipo importada): {prompts}",
        "imports.withheld": "Retenidas (privadas, nunca se guardan): {columns}.",
        "imports.demo_stored": "Datos demográficos ({columns}): se guardaron las respuestas de "
        "{respondents}, con el consentimiento de la encuesta registrado en esta importación.",
        "imports.n_respondents.one": "{n} persona",
        "imports.n_respondents.other": "{n} personas",
        "imports.demo_withheld": "Datos demográficos ({columns}): no se guardaron, porque la "
        "importación no indicó que la encuesta pidiera consentimiento; si lo pidió, importe de "
        "nuevo con --demographics-consented.",
        "imports.skipped": "Omitidas:",
        "imports.skip_line": "  {n} x {reason}: {where}{more}",
        "imports.skip_more": " y {n} más",
        "imports.row": "fila {row}",
        "imports.column": "columna {n} ({header})",
        "imports.skip_empty_row": "fila vacía",
        "imports.skip_header_row": "repite la fila de encabezados",
        "imports.skip_no_answers": "sin respuesta en las columnas importadas",
        "imports.skip_duplicate_row": "fila repetida (mismas respuestas que una fila anterior)",
        "imports.skip_no_text": "sin letras ni cifras (p. ej. '-' o '...')",
        "imports.skip_too_long": "supera el límite de importación de {limit} caracteres "
        "(PBP_IMPORT_MAX_TEXT_CHARS)",
        "imports.skip_nul_character": "contiene un carácter NUL (restos binarios)",
        "imports.skip_moderated_out": "rechazado por la moderación de Polis (moderated = -1)",
        "imports.skip_not_moderated": "aún sin moderar en Polis (--only-accepted)",
        "imports.skip_unknown_heading": "bajo un título que no nombra ninguna pregunta",
        "imports.skip_mapped_out": "bajo un título que la correspondencia excluye",
        "imports.not_imported": "No importada: {column} ({cells}); indíquela con --mapping "
        "para importarla.",
        "imports.n_cells_filled.one": "{n} celda no vacía",
        "imports.n_cells_filled.other": "{n} celdas no vacías",
        "imports.ignored": "Columnas de metadatos ignoradas (nunca se guardan): {columns}.",
        "imports.polis_pending.one": "{n} comentario aún sin moderar en Polis (moderated = 0) "
        "importado como pendiente de moderación: oculto hasta que un facilitador lo acepte "
        "(restáurelo en el tablero); --only-accepted lo omite.",
        "imports.polis_pending.other": "{n} comentarios aún sin moderar en Polis (moderated = 0) "
        "importados como pendientes de moderación: ocultos hasta que un facilitador los acepte "
        "(restáurelos en el tablero); --only-accepted los omite.",
        "imports.polis_moderated_out.one": "{n} comentario excluido por moderación en Polis "
        "(moderated = -1) importado oculto: nunca se muestra, lista ni resume; sus votos cuentan "
        "en los grupos de opinión como los cuenta Polis.",
        "imports.polis_moderated_out.other": "{n} comentarios excluidos por moderación en Polis "
        "(moderated = -1) importados ocultos: nunca se muestran, listan ni resumen; sus votos "
        "cuentan en los grupos de opinión como los cuenta Polis.",
        "imports.polis_skipped.one": "{n} comentario aún sin moderar en Polis omitido "
        "(--only-accepted).",
        "imports.polis_skipped.other": "{n} comentarios aún sin moderar en Polis omitidos "
        "(--only-accepted).",
        "imports.warning": "Aviso: {text}",
        "imports.votes_head": "{file}: Polis {kind} ({encoding}), {rows}, en la sesión {session}.",
        "imports.votes_added": "Se añadieron o cambiaron {reactions} de {people} sobre {ideas}; ya "
        "estaban: {present}.",
        "imports.votes_would_add": "Se añadirían o cambiarían {reactions} de {people} sobre "
        "{ideas} (prueba: no se escribió nada); ya estaban: {present}.",
        "imports.votes_skipped": "  omitidas ({reason}): {n}",
    },
}

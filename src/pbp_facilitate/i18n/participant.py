"""Participant pages (``/join``, ``/s/<code>``, the poster, error pages): English and Spanish."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "site_name": "Share your ideas",
        "join_title": "Join a session",
        "join_intro": "Type the code shown on the screen or your handout.",
        "join_label": "Session code",
        "join_hint": "Letters and numbers, for example K7QM2P.",
        "join_button": "Join",
        "join_empty": "Type the session code, then press Join.",
        "join_unknown": "No session has the code “{code}”. Check the code on the screen and type "
        "it again.",
        "language": "Language",
        "session_closed": "This session is closed and no longer takes ideas. Thank you for taking "
        "part.",
        "no_open_prompts": "There is no open question right now. This page updates by itself when "
        "the facilitator opens one (or reload it then).",
        "your_idea": "Your idea",
        "chars_limit": "Up to {limit} characters.",
        "chars_count": "{count} of {limit} characters",
        "submit": "Send my idea",
        "saved_title": "Thank you! Your idea was saved.",
        "saved_quote": "You wrote:",
        "add_another": "Add another idea",
        "error_summary": "There is a problem",
        "err_empty": "Your idea is empty. Type your idea in the box, then press “Send my idea”.",
        "err_too_long": "Your idea has {count} characters; the limit is {limit}. Shorten it or "
        "split it into two ideas.",
        "err_closed_prompt": "This question has closed; the facilitator has moved on. Your text is "
        "still below if you want to copy it.",
        "err_closed_session": "This session has closed and no longer takes ideas. Your text is "
        "still below if you want to copy it.",
        "err_unknown_prompt": "This question is not part of the session any more. Reload the page.",
        "err_form_expired": "This form is out of date. Your text is still below; press “Send my "
        "idea” again.",
        "err_idem_reused": "This form was already used to send a different idea, so this text "
        "was NOT saved. Your text is still below; press “Send my idea” again.",
        "err_not_saved": "Your idea was NOT saved because the server could not store it. Please "
        "try again in a moment.",
        "err_rate.one": "You are sending ideas very quickly. Wait {n} second, then press “Send "
        "my idea” again.",
        "err_rate.other": "You are sending ideas very quickly. Wait {n} seconds, then press “Send "
        "my idea” again.",
        "err_codes_rate.one": "Too many unknown session codes were tried from this network. Wait "
        "{n} second, then check the code and try again.",
        "err_codes_rate.other": "Too many unknown session codes were tried from this network. "
        "Wait {n} seconds, then check the code and try again.",
        "err_keys_rate.one": "Many new phones joined from this network in the last minute. Wait "
        "{n} second, then reload the page.",
        "err_keys_rate.other": "Many new phones joined from this network in the last minute. "
        "Wait {n} seconds, then reload the page.",
        "err_crowd_rate.one": "Many new phones are sending ideas from this network right now. "
        "Wait {n} second, then press “Send my idea” again.",
        "err_crowd_rate.other": "Many new phones are sending ideas from this network right now. "
        "Wait {n} seconds, then press “Send my idea” again.",
        "err_ballots_rate.one": "Many people are voting from this network right now. Wait {n} "
        "second, then press “Save my vote” again.",
        "err_ballots_rate.other": "Many people are voting from this network right now. Wait {n} "
        "seconds, then press “Save my vote” again.",
        "err_bad_request": "The form could not be read. Reload the page and try again.",
        "err_too_large": "The form is too large (over {limit} KB). Shorten your text and try "
        "again.",
        "about_you": "About you (optional)",
        "about_intro": "Answers help us check that every part of the community is heard. You can "
        "skip them.",
        "consent_label": "I agree that my answers below are stored with my ideas, without my name, "
        "to check whose voices are heard.",
        "consent_hint": "Your answers are only stored if this box is ticked.",
        "prefer_not": "Prefer not to say",
        "demo_dropped": "Your idea was saved. Your answers about you were not stored because the "
        "consent box was not ticked.",
        "demo_invalid": "Your idea was saved, but your answers about you could not be stored "
        "({detail}).",
        "vote_title": "Vote",
        "vote_intro.one": "You have {n} dot. Put it on the theme you care about most. You "
        "can change your vote until voting closes.",
        "vote_intro.other": "You have {n} dots. Spread them over the themes you care about most. "
        "You can change your vote until voting closes.",
        "vote_dots_for": "Dots for “{label}”",
        "vote_example": "For example: “{quote}”",
        "vote_submit": "Save my vote",
        "vote_saved": "Your vote was saved. You can change it until voting closes.",
        "vote_closed": "Voting has closed. Thank you!",
        "err_vote_too_many": "You placed {used} dots but have only {dots}. Remove some dots and "
        "save again.",
        "err_vote_invalid": "Each theme takes a whole number of dots from 0 to {dots}.",
        "err_vote_closed": "Voting has closed; your vote was not changed.",
        "not_found_title": "Page not found",
        "not_found": "This page does not exist. Check the address, or join with the session code.",
        "go_join": "Join a session",
        "error_title": "Something went wrong",
        "error_generic": "The server could not handle this request ({status}). Nothing was "
        "changed. Go back and try again.",
        "skip": "Skip to content",
    },
    "es": {
        "site_name": "Comparta sus ideas",
        "join_title": "Unirse a una sesión",
        "join_intro": "Escriba el código que aparece en la pantalla o en su hoja.",
        "join_label": "Código de la sesión",
        "join_hint": "Letras y números, por ejemplo K7QM2P.",
        "join_button": "Unirse",
        "join_empty": "Escriba el código de la sesión y pulse Unirse.",
        "join_unknown": "Ninguna sesión tiene el código «{code}». Revise el código en la pantalla "
        "y escríbalo otra vez.",
        "language": "Idioma",
        "session_closed": "Esta sesión está cerrada y ya no recibe ideas. Gracias por participar.",
        "no_open_prompts": "No hay ninguna pregunta abierta ahora. Esta página se actualiza sola "
        "cuando la persona facilitadora abra una (o vuelva a cargarla "
        "entonces).",
        "your_idea": "Su idea",
        "chars_limit": "Hasta {limit} caracteres.",
        "chars_count": "{count} de {limit} caracteres",
        "submit": "Enviar mi idea",
        "saved_title": "¡Gracias! Su idea se guardó.",
        "saved_quote": "Usted escribió:",
        "add_another": "Añadir otra idea",
        "error_summary": "Hay un problema",
        "err_empty": "Su idea está vacía. Escriba su idea en el cuadro y pulse «Enviar mi idea».",
        "err_too_long": "Su idea tiene {count} caracteres; el límite es {limit}. Acórtela o "
        "divídala en dos ideas.",
        "err_closed_prompt": "Esta pregunta se cerró; la persona facilitadora pasó a otra. Su "
        "texto sigue abajo por si quiere copiarlo.",
        "err_closed_session": "Esta sesión se cerró y ya no recibe ideas. Su texto sigue abajo por "
        "si quiere copiarlo.",
        "err_unknown_prompt": "Esta pregunta ya no forma parte de la sesión. Vuelva a cargar la "
        "página.",
        "err_form_expired": "Este formulario está desactualizado. Su texto sigue abajo; pulse "
        "«Enviar mi idea» otra vez.",
        "err_idem_reused": "Este formulario ya se usó para enviar otra idea, así que este texto "
        "NO se guardó. Su texto sigue abajo; pulse «Enviar mi idea» otra vez.",
        "err_not_saved": "Su idea NO se guardó porque el servidor no pudo almacenarla. Inténtelo "
        "de nuevo en un momento.",
        "err_rate.one": "Está enviando ideas muy rápido. Espere {n} segundo y pulse «Enviar mi "
        "idea» otra vez.",
        "err_rate.other": "Está enviando ideas muy rápido. Espere {n} segundos y pulse «Enviar mi "
        "idea» otra vez.",
        "err_codes_rate.one": "Se probaron demasiados códigos de sesión desconocidos desde esta "
        "red. Espere {n} segundo, revise el código e inténtelo de nuevo.",
        "err_codes_rate.other": "Se probaron demasiados códigos de sesión desconocidos desde esta "
        "red. Espere {n} segundos, revise el código e inténtelo de nuevo.",
        "err_keys_rate.one": "Muchos teléfonos nuevos se conectaron desde esta red en el último "
        "minuto. Espere {n} segundo y vuelva a cargar la página.",
        "err_keys_rate.other": "Muchos teléfonos nuevos se conectaron desde esta red en el último "
        "minuto. Espere {n} segundos y vuelva a cargar la página.",
        "err_crowd_rate.one": "Muchos teléfonos nuevos están enviando ideas desde esta red ahora "
        "mismo. Espere {n} segundo y pulse «Enviar mi idea» otra vez.",
        "err_crowd_rate.other": "Muchos teléfonos nuevos están enviando ideas desde esta red "
        "ahora mismo. Espere {n} segundos y pulse «Enviar mi idea» otra vez.",
        "err_ballots_rate.one": "Muchas personas están votando desde esta red ahora mismo. Espere "
        "{n} segundo y pulse «Guardar mi voto» otra vez.",
        "err_ballots_rate.other": "Muchas personas están votando desde esta red ahora mismo. "
        "Espere {n} segundos y pulse «Guardar mi voto» otra vez.",
        "err_bad_request": "No se pudo leer el formulario. Vuelva a cargar la página e inténtelo "
        "de nuevo.",
        "err_too_large": "El formulario es demasiado grande (más de {limit} KB). Acorte su texto e "
        "inténtelo de nuevo.",
        "about_you": "Sobre usted (opcional)",
        "about_intro": "Las respuestas nos ayudan a comprobar que se escucha a toda la comunidad. "
        "Puede omitirlas.",
        "consent_label": "Acepto que mis respuestas de abajo se guarden con mis ideas, sin mi "
        "nombre, para comprobar qué voces se escuchan.",
        "consent_hint": "Sus respuestas solo se guardan si marca esta casilla.",
        "prefer_not": "Prefiero no decirlo",
        "demo_dropped": "Su idea se guardó. Sus respuestas sobre usted no se guardaron porque no "
        "marcó la casilla de consentimiento.",
        "demo_invalid": "Su idea se guardó, pero sus respuestas sobre usted no se pudieron guardar "
        "({detail}).",
        "vote_title": "Votar",
        "vote_intro.one": "Tiene {n} punto. Póngalo en el tema que más le importa. Puede "
        "cambiar su voto hasta que se cierre la votación.",
        "vote_intro.other": "Tiene {n} puntos. Repártalos entre los temas que más le importan. "
        "Puede cambiar su voto hasta que se cierre la votación.",
        "vote_dots_for": "Puntos para «{label}»",
        "vote_example": "Por ejemplo: «{quote}»",
        "vote_submit": "Guardar mi voto",
        "vote_saved": "Su voto se guardó. Puede cambiarlo hasta que se cierre la votación.",
        "vote_closed": "La votación se cerró. ¡Gracias!",
        "err_vote_too_many": "Puso {used} puntos pero solo tiene {dots}. Quite algunos puntos y "
        "guarde otra vez.",
        "err_vote_invalid": "Cada tema admite un número entero de puntos, de 0 a {dots}.",
        "err_vote_closed": "La votación se cerró; su voto no cambió.",
        "not_found_title": "Página no encontrada",
        "not_found": "Esta página no existe. Revise la dirección o únase con el código de la "
        "sesión.",
        "go_join": "Unirse a una sesión",
        "error_title": "Algo salió mal",
        "error_generic": "El servidor no pudo atender esta solicitud ({status}). No se cambió "
        "nada. Vuelva atrás e inténtelo de nuevo.",
        "skip": "Saltar al contenido",
    },
}

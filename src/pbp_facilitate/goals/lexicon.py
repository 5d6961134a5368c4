"""Vocabulary of the goal checker (English and Spanish).

Every list here is written in *folded* form: lower case, accents removed
(``"próximo"`` is written ``"proximo"``), because :mod:`pbp_facilitate.goals`
matches against a folded copy of the goal (:func:`pbp_facilitate.text.fold`)
that keeps the same character offsets. Entries are regular-expression
fragments joined with ``|``; keep them short and specific. docs/goals.md
describes what each list is for; a change here is a change to the rules users
read, so update the docs too.
"""

from __future__ import annotations

__all__ = [
    "EN_GOAL_VERBS",
    "ES_NOT_INFINITIVES",
    "INTENT_PHRASES",
    "MONTHS",
    "SEASONS",
    "NUMBER_WORDS",
    "INDICATOR_TERMS",
    "VAGUE_HEADS",
    "VAGUE_NOUNS",
    "VAGUE_OBJECT_HEADS",
    "POPULATION_TERMS",
    "DISPARITY_TERMS",
    "DISAGGREGATION_TERMS",
    "GENERIC_EQUITY_TERMS",
    "VAGUE_PREDICATES",
    "NEVER_WORDS",
    "VAGUE_TIME_TERMS",
    "PERSON_NOUNS",
    "PLACE_NOUNS",
    "ORG_NOUNS",
    "STOPWORDS",
    "LOW_INFO_THEME_WORDS",
    "STEM_SUFFIXES",
]

# Base-form English verbs that open an imperative goal ("Reduce ...",
# "Ensure ...") after any introductory phrase ("By 2030, reduce ...").
EN_GOAL_VERBS = frozenset(
    """
    achieve accelerate add address adopt advance align allow amplify assess attain be become
    begin boost bring build celebrate center centre close combat complete connect construct
    create cultivate curb cut decrease deepen deliver design develop dismantle distribute divert
    diversify do double drive elevate eliminate empower enable end engage enroll enrol ensure
    equip establish expand extend foster fund get give graduate grow guarantee halve have help
    hire hit hold house identify implement improve increase install integrate invest keep launch
    lead lift limit link listen lower maintain make match measure meet mentor modernize move
    narrow offer open partner pass pilot place plant prepare prevent promote protect provide
    publish quadruple raise reach recruit reduce rehouse reinvest remove renovate repair replace
    report restore retain scale screen secure serve set share shrink slash start stop strengthen
    streamline support sustain tackle track train transform triple uplift upgrade vaccinate work
    """.split()
)

# Folded words ending in -ar/-er/-ir that are not infinitives, so that
# "Lugar ..." or "Hogar ..." at the start of a sentence is not read as a goal.
ES_NOT_INFINITIVES = frozenset(
    """
    lugar hogar hogares bienestar mujer taller militar familiar escolar popular regular particular
    similar solar pilar collar azar alquiler caracter cadaver placer ayer mar par primer tercer
    celular titular auxiliar nivel dolar
    """.split()
)

# Phrases that frame a statement as an intention, in any position.
INTENT_PHRASES = (
    r"will|shall|(?:aims?|plans?|intends?|commits?|pledges?|strives?|seeks?|wants?|hopes?) to"
    r"|(?:is|are) going to|(?:our|the) (?:goal|aim|target) is|we commit"
    r"|nos comprometemos a|vamos a|queremos|buscamos|nuestra meta es|la meta es|se propone"
    r"|pretende|pretendemos"
)

MONTHS = (
    r"january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec"
    r"|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre"
    r"|noviembre|diciembre"
)

SEASONS = r"spring|summer|fall|autumn|winter|primavera|verano|otono|invierno"

NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "thousand": 1000,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "seis": 6,
    "siete": 7,
    "ocho": 8,
    "nueve": 9,
    "diez": 10,
    "doce": 12,
    "quince": 15,
    "veinte": 20,
    "treinta": 30,
    "cuarenta": 40,
    "cincuenta": 50,
    "sesenta": 60,
    "setenta": 70,
    "ochenta": 80,
    "noventa": 90,
    "cien": 100,
    "mil": 1000,
}

# One content word (not a function word), for the open slots of indicator frames.
_CW = (
    r"(?!(?:the|a|an|in|of|for|by|to|at|on|and|or|from|with|among|between|below|under|above|who"
    r"|that|within|el|la|los|las|de|del|en|y|para|por|con|entre|que|al|a)(?![\w-]))[\w-]+"
)

# Concrete outcomes and indicators: what changes. A hit makes a goal
# "specific" unless it sits inside a vague head ("root causes of poverty").
INDICATOR_TERMS = (
    # generic indicator frames
    rf"(?:{_CW} ){{0,3}}rates?|(?:the )?(?:share|percentage|proportion|number|count) of {_CW}"
    rf"(?: {_CW}){{0,3}}"
    rf"|(?:la |el )?(?:tasa|proporcion|porcentaje|numero|cantidad) de (?:(?:los|las|la|el) )?{_CW}"
    rf"(?: (?:de )?{_CW}){{0,2}}"
    # education
    r"|graduat\w*|gradu[ae]n?|graduacion|enrol\w*|inscripcion\w*|inscrib\w*|matricula\w*"
    r"|(?:kindergarten )?readiness|preparacion (?:escolar|para el kinder)|proficien\w*"
    r"|reading|literacy|lectura|comprension lectora|lean|leer|math\w*|matematicas|algebra"
    r"|(?:reads?|read|lee\w*|lean) (?:at|on|a) (?:grade level|nivel de grado)"
    r"|test scores?|(?:chronic )?absentee\w*|ausentismo(?: cronico)?|attendance|asistencia escolar"
    r"|suspensions?|suspensiones"
    r"|expulsions?|expulsiones|dropouts?|abandono escolar|desercion|credentials?|credencial\w*"
    r"|degrees?|titulos?|fafsa|postsecondary (?:enrollment|credential|degree|education)"
    r"|estudios postsecundarios|college enrollment|apprenticeships?|aprendices|pre-?k|prekinder"
    r"|preschool|preescolar|after-school|extraescolar\w*|dual-language|iep|tutoring|tutorias"
    r"|teachers?|maestros|docentes|mentors?|mentores|tutors?|tutores"
    # work and income
    r"|jobs?|employment|unemployment|empleos?|desempleo|wages?|salarios?|earnings"
    r"|(?:median|household|family|per capita|annual|average) (?:household )?income"
    r"|ingresos? (?:medio|mediano|familiar|de los hogares)|poverty|pobreza|savings accounts?"
    r"|cuentas de ahorro|tax credit|credito fiscal|small businesses|businesses|pequenas empresas"
    r"|empresas|negocios|contracts|contratos|loans|prestamos|startup capital"
    # housing and homelessness
    r"|homeless\w*|unsheltered|sin hogar|falta de vivienda|housing (?:placement|assessment)"
    r"|(?:stable|permanent|affordable|supportive) (?:supportive )?housing|vivienda estable"
    r"|viviendas?(?: asequibles)?|homes|units|unidades|shelter beds|beds|camas|evictions?"
    r"|eviction filings|desalojos|homeownership|home ownership|propiedad de vivienda"
    r"|rent-burden\w*|sobrecarga de alquiler|rental assistance|asistencia de alquiler"
    r"|returns to homelessness|by-name list|functional zero|cero funcional"
    # health
    r"|deaths?|muertes|mortality|mortalidad|overdose\w*|sobredosis|births?|nacimientos"
    r"|preterm|low birth weight|asthma|asma|hospitali[sz]ations?|hospitalizaciones"
    r"|readmissions?|emergency department visits|urgencias|visits|visitas|home visits?"
    r"|vaccinat\w*|vacun\w*|immuni[sz]\w*|inmunizacion\w*|screenings?|dental|coverage|cobertura"
    r"|insur\w*|uninsured|seguro medico|primary care|atencion primaria|obesity|obesidad"
    r"|diabetes|blood pressure|food insecurity|inseguridad alimentaria|healthy food|fresh produce"
    r"|alimentos saludables|hunger|meals|comidas|sadness|tristeza|depression|depresion"
    r"|suicides?|suicidios?|clinics|clinicas|health workers|promotoras de salud|medical home"
    r"|poisoning|intoxicacion\w*|cases|casos|incidence|incidencia|prevalence|prevalencia"
    r"|infections?|infecciones|hiv|vih|cancer|smoking|vaping|tabaquismo|physical activity"
    r"|actividad fisica|blood lead levels?|lead levels|exposure|exposicion"
    # early childhood and care
    r"|child care (?:seats|slots|centers|homes)|care centers|centros de cuidado infantil|seats"
    r"|slots|plazas|nurse home visit"
    # places, transport, safety, services
    r"|trees|arboles|vacant lots|parks|parques|sidewalks|aceras|bus stops|paradas de autobus"
    r"|riders|ridership|commute|response time|tiempo de respuesta|wait(?:ing)? times?"
    r"|tiempos? de espera|traffic deaths|crashes|accidentes|injuries|lesiones|crime|delitos"
    r"|violence|violencia|shootings|homicides?|homicidios|arrests|arrestos|detention|detencion"
    r"|incarceration|encarcelamiento|recidivism|reincidencia|broadband|banda ancha|internet"
    r"|wi-?fi|hotspots|devices|computers|smoke alarms|permits?|permisos|inspections|inspecciones"
    r"|libraries|bibliotecas|library branch"
    # data and deliverables
    r"|dashboard|tablero|indicators|indicadores|data hub|share data|compartan datos"
    r"|point of contact|transportation plan|transporte escolar|reports|reportes|informes"
    r"|conferences|conferencias"
)

# A concrete term right after one of these heads is not an outcome:
# "root causes of poverty", "awareness of asthma".
VAGUE_HEADS = (
    r"root causes? of|causas? (?:de fondo|profundas|raiz) de|awareness (?:of|about)"
    r"|conciencia sobre|conversations? (?:about|on)|dialogue (?:about|on)|dialogo sobre"
    r"|culture of|cultura de|progress on|progreso en|focus on|enfoque en"
)

# Heads of objects too vague to track: "improve quality of life", "build trust".
VAGUE_OBJECT_HEADS = frozenset(
    """
    outcomes results lives life quality well-being wellbeing wellness collaboration cooperation
    partnership partnerships capacity equity inclusion opportunity opportunities future community
    communities things culture vision trust engagement awareness alignment systems system
    conditions resilience health support impact progress efforts work connections voices voice
    leadership power belonging justice prosperity success potential understanding coordination
    resources environment conversation dialogue relationships ecosystem infrastructure involvement
    participation ability abilities responsiveness commitment connectedness
    resultados vidas vida calidad bienestar colaboracion cooperacion alianza alianzas capacidad
    equidad inclusion oportunidad oportunidades futuro comunidad comunidades cosas cultura vision
    confianza participacion conciencia sistemas sistema condiciones resiliencia salud apoyo impacto
    progreso esfuerzos trabajo liderazgo poder justicia prosperidad exito potencial entorno
    relaciones dialogo ecosistema infraestructura
    """.split()
)

# Nouns after a number that do not make a concrete outcome ("5 things").
VAGUE_NOUNS = frozenset(
    """
    outcomes things results lives ways areas priorities goals steps strategies efforts
    resultados cosas vidas maneras areas prioridades metas pasos estrategias esfuerzos
    percent percentage points point por ciento puntos punto
    """.split()
)

# Populations most impacted. Grouped for the docs; matched as one alternation.
POPULATION_TERMS = (
    # race and ethnicity
    r"black|african[- ]american|afroamerican\w*|afrodescendientes?|latin[oaxe]s?|latinx|latine"
    r"|hispanic|hispan[oa]s?|native american|american indian|alaska native|native hawaiian"
    r"|pacific islander|indigenous|indigenas?|native-owned|tribal|asian american|bipoc"
    r"|(?:people|persons|students|residents|communities|families|youth|children|women|men|boys"
    r"|girls|mothers|adults|workers|owners|entrepreneurs)(?: \w+)? of color|de color"
    r"|minority[- ]owned|minority|minorias?|minoritari\w*|racial(?:ly)?|raciales|race|raza"
    r"|racism|racismo|ethnic\w*|etni\w*|hmong|somali|haitian|filipino|vietnamese"
    # income
    r"|low[- ]income|lower[- ]income|lowest[- ]income|bajos ingresos|ingresos bajos"
    r"|escasos recursos|poverty|pobreza|poor families|familias pobres|pell[- ]eligible|pell"
    r"|medicaid|snap|wic|food stamps|cupones de alimentos|free or reduced[- ]price lunch"
    r"|free and reduced[- ]price lunch|almuerzo gratuito|economically disadvantaged"
    r"|economicamente desfavorecid\w*|area median income|ingreso medio de la zona"
    r"|ingresos inferiores|fixed incomes?|ingresos fijos|public housing|vivienda publica"
    r"|subsidized housing|vivienda subsidiada|housing vouchers?|vales? de vivienda"
    r"|section 8|rent-burden\w*"
    r"|cost-burden\w*|sobrecarga de alquiler|unbanked"
    r"|socio-?economically (?:disadvantaged|vulnerable)|low socio-?economic status|low-ses"
    r"|(?:vulnerables|desfavorecid\w+) socioeconomicamente|socioeconomicamente (?:vulnerables"
    r"|desfavorecid\w+)|de bajo nivel socioeconomico|en situacion de pobreza"
    # disability
    r"|disabilit\w*|disabled|discapacidad\w*|special education|educacion especial|iep|deaf"
    r"|sordos?|blind|ciegos?"
    # housing status
    r"|homeless\w*|unhoused|unsheltered|sin hogar|sin techo|sin vivienda|falta de vivienda"
    r"|situacion de calle|duerm\w+ en la calle|noche en la calle|sleep\w* (?:on the street|rough)"
    r"|displaced|desplazad\w*|doubled[- ]up"
    r"|(?:people|persons|families|individuals|youth|children|households|adults|veterans|women"
    r"|personas|familias|jovenes|ninos|hogares|adultos|veteranos|mujeres)"
    r" (?:entering|in|staying in|living in|leaving|que ingresan a|que entran a|en|que viven en"
    r"|que salen de) (?:emergency |a |los )?(?:shelters?|albergues?|refugios?)"
    # language
    r"|english learners?|english language learners?|multilingual learners?|ells?"
    r"|limited english|spanish[- ]speaking|non-english[- ]speaking|learning english"
    r"|aprend\w+ ingles|dominio limitado del ingles|hispanohablantes|no hablan ingles"
    r"|by (?:race|ethnicity) and language|language access"
    # immigration
    r"|immigrants?|inmigrantes?|refugees?|refugiad\w*|undocumented|indocumentad\w*|migrants?"
    r"|migrantes?|asylum[- ]seekers?|solicitantes de asilo|newcomers?|recien llegad\w*|daca"
    # justice involvement
    r"|incarcerat\w*|encarcelad\w*|returning from (?:incarceration|prison|jail)|reentry"
    r"|re-entry|reinsercion|criminal records?|antecedentes penales|justice[- ]involved"
    r"|juvenile (?:detention|justice)|detencion juvenil|justicia juvenil|probation|parole"
    r"|libertad condicional|salen de prision|prison|prision|jail|carcel"
    # other groups plans name as most impacted
    r"|foster (?:care|youth)|cuidado de crianza|hogares de acogida|lgbtq\+?|lgbt\w*"
    r"|first[- ]generation|primera generacion"
    # disadvantaged places
    r"|(?:food|child care|childcare|broadband|pharmacy|transit|banking) deserts?"
    r"|desiertos? (?:alimentarios?|de cuidado infantil|de banda ancha|de farmacias)"
    r"|high[- ]poverty|alta pobreza|redlined|disinvested|barrios marginados"
    r"|colonias marginadas|zonas desfavorecidas|barrios desfavorecidos"
)

# Disparities and gaps to close.
DISPARITY_TERMS = (
    r"(?:[\w-]+ ){0,2}gaps?|disparit\w*|inequit\w+|inequalit\w+|brechas?|disparidad\w*"
    r"|desigualdad\w*|inequidad\w*|digital divide"
)

# Commitments to disaggregated reporting.
DISAGGREGATION_TERMS = (
    r"disaggregated by [\w ,-]+|disaggregat\w*|broken down by [\w ,-]+"
    r"|(?:reported|report|results|data|outcomes|progress)(?: \w+){0,3} by (?:race|ethnicity|income"
    r"|language|disability|zip code)(?:(?:,| and| or) (?:race|ethnicity|income|language"
    r"|disability|zip code|gender))*"
    r"|by race(?: and ethnicity)?|by ethnicity"
    r"|desglosad\w+ por [\w ,]+|desagregad\w+ por [\w ,]+|por raza(?: y etnia)?|por etnia"
)

# Words that sound like equity but name nobody: noted in the reason, never a pass.
GENERIC_EQUITY_TERMS = (
    r"equit(?:y|able|ably)|inclusi(?:on|ve)|divers(?:e|ity)|for all|everyone|everybody"
    r"|underserved|vulnerable|marginali[sz]ed|most impacted|all residents|all people"
    r"|equidad|equitativ\w+|inclusion|inclusiv\w+|diversidad|para todos|para todas|todos y todas"
    r"|vulnerables?|marginad\w+|desatendid\w+|mas afectad\w+"
)

# Predicates that make "every child ..." a hope rather than a countable target.
VAGUE_PREDICATES = (
    r"thrives?|succeeds?|flourish\w*|prospers?|feels?|is|are|be|can|has the (?:chance|opportunity)"
    r"|have the (?:chance|opportunity)|reaches? (?:their|his|her) (?:full )?potential|matters?"
    r"|prosper\w*|triunf\w*|sient\w*|sea|sean|esta|esten|es|son|puede|pueda|tenga oportunidad\w*"
    r"|alcance su (?:pleno )?potencial|importa"
)

# Words that make a pledge a value statement when nothing is counted or dated.
NEVER_WORDS = r"never|nunca|jamas"

VAGUE_TIME_TERMS = (
    r"soon|eventually|someday|some day|one day|in the future|over time|in the long run"
    r"|long[- ]term|as soon as possible|asap|in the coming years|in the years ahead"
    r"|over the next few years|in due course"
    r"|pronto|eventualmente|algun dia|en el futuro|con el tiempo|a largo plazo"
    r"|lo antes posible|lo mas pronto posible|en los proximos anos|en los anos venideros"
)

PERSON_NOUNS = (
    r"students?|children|child|kids|youth|young people|young adults|families|family|residents"
    r"|people|persons|individuals|adults|households|mothers|parents|infants|babies|boys|girls"
    r"|women|men|veterans|seniors|workers|renters|tenants|owners|learners|graders|businesses"
    r"|estudiantes|alumnos|ninos|ninas|jovenes|familias|residentes|personas|adultos|hogares"
    r"|madres|padres|bebes|varones|mujeres|hombres|veteranos|trabajadores|inquilinos"
    r"|propietarios|empresas|comunidades|communities"
)

PLACE_NOUNS = (
    r"neighbou?rhoods?|census tracts?|tracts?|areas?|zip codes?|corridors?|districts?|schools?"
    r"|counties|towns|communities|barrios|zonas|colonias|vecindarios|escuelas|distritos|comunidades"
)

ORG_NOUNS = (
    r"partners?|partner organizations|organizations|agencies|members|working groups|committees"
    r"|sectors|socios|organizaciones|agencias|miembros|grupos de trabajo|comites|sectores"
)

STOPWORDS = frozenset(
    """
    a an the of and or to in on at by for from with without into over under within per as is are
    be been was were will shall would can could should may might this that these those it its our
    their his her we they you i me my your us them there here than then so such not no nor all
    every each any some more most less least many much very also just only up down out about
    across through during before after between among while which who whom whose what when where
    how why do does did done has have had having make get help ensure sure new
    el la los las un una unos unas de del al a en y o u que por para con sin sobre entre hasta
    desde durante antes despues se su sus nuestro nuestra nuestros nuestras es son ser fue
    este esta estos estas ese esa eso lo le les mas menos muy todo todos toda todas cada
    otro otra otros otras como cuando donde mientras pero tambien ya no ni si
    """.split()
)

# Words too common in theme labels to tie a goal to a theme ("Community
# housing" should match "housing", not every goal about the community).
LOW_INFO_THEME_WORDS = frozenset(
    """
    community communities comunidad comunidades people personas residents residentes city ciudad
    county condado region partners socios work trabajo goal goals meta metas plan plans
    program programs programa programas support apoyo theme tema
    """.split()
)

# Suffixes the theme matcher strips (the first that fits, in this order, at most
# twice, keeping four letters), so "educación", "education" and "educational" meet at "educ".
STEM_SUFFIXES = (
    "aciones", "iciones", "amientos", "imientos", "izations", "ization", "ations", "amiento",
    "imiento", "idades", "nesses", "acion", "icion", "ation", "mente", "ments", "ities", "idad",
    "ness", "ment", "ings", "ity", "ing", "ies", "es", "ed", "al", "os", "as", "s", "a", "o", "e",
)  # fmt: skip

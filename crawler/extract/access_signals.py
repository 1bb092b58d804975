"""The markup and wording that name a page status: vendors' challenge and consent markers, not-found
headings and sentences in common languages (access.py), paywall prompts and truncation marks
(text_access.py).

Patterns only, after the vendors' public markup; no rule names a site.
"""

from __future__ import annotations

import re

# Markers in script sources and inline scripts, ids and classes, each with the vendor it names. They
# count on thin pages, or on any page answered with a refusal status (403, 503, ...).
CHALLENGE_MARKERS = (
    ("cf_chl_opt", "Cloudflare challenge (cf_chl_opt)"),
    ("cf-browser-verification", "Cloudflare challenge (cf-browser-verification)"),
    ("cf-challenge", "Cloudflare challenge (cf-challenge)"),
    ("challenge-form", "Cloudflare challenge (challenge-form)"),
    ("incapsula incident id", "Imperva/Incapsula incident page (_Incapsula_Resource)"),
    ("captcha-delivery.com", "DataDome captcha"),
    ("px-captcha", "PerimeterX (px-captcha)"),
    ("_pxcaptcha", "PerimeterX (_pxCaptcha)"),
    ("/_sec/cp_challenge/", "Akamai bot manager challenge"),
    ("sec-if-cpt-container", "Akamai bot manager challenge"),
    ("errors.edgesuite.net", "Akamai access denied (edgesuite reference)"),
)
# The vendors' scripts on every page they protect, challenge or story: they count only without a story.
SENSOR_MARKERS = (
    ("/cdn-cgi/challenge-platform/", "Cloudflare challenge-platform"),
    ("_incapsula_resource", "Imperva/Incapsula (_Incapsula_Resource)"),
)
CHALLENGE_TITLES = re.compile(
    r"^(?:just a moment|attention required|please wait\b.*cloudflare|access denied|pardon our interruption"
    r"|are you a robot|security check|bot verification|one more step|request unsuccessful)",
    re.IGNORECASE,
)
CMP_MARKERS = (
    ("cookielaw.org", "OneTrust CMP"),
    ("otsdkstub", "OneTrust CMP"),
    ("onetrust", "OneTrust CMP"),
    ("privacy-center.org", "Didomi CMP"),
    ("didomi", "Didomi CMP"),
    ("quantcast", "Quantcast Choice CMP"),
    ("sp-prod.net", "Sourcepoint CMP"),
    ("sourcepoint", "Sourcepoint CMP"),
    ("_sp_", "Sourcepoint CMP"),
    ("consensu.org", "IAB TCF CMP"),
    ("__tcfapi", "IAB TCF CMP"),
    ("cookiebot", "Cookiebot CMP"),
    ("usercentrics", "Usercentrics CMP"),
)
CONSENT_TITLES = re.compile(
    r"^(?:before you continue|bevor sie zu \w+ weitergehen|avant d.acc[ée]der [àa]|prima di continuare"
    r"|antes de continuar|voordat je verdergaat|zanim przejdziesz|consent|cookie consent|privacy settings"
    r"|datenschutzeinstellungen|your privacy choices|we value your privacy)",
    re.IGNORECASE,
)
CONSENT_WORDS = re.compile(
    r"\b(?:cookies?|consent|accept(?: all)?|agree|zustimm\w*|akzeptier\w*|einwilligung|consentement|accepter"
    r"|aceptar|consenso|accetta|partners?|personali[sz]ed ads)\b",
    re.IGNORECASE,
)
CONSENT_PATH_SEGMENTS = frozenset(
    {"consent", "collectconsent", "cookie-consent", "privacy-gate", "zustimmung"}
)
NOT_FOUND = re.compile(
    r"^(?:error\s*)?404\b|\b404\s*(?:error|-|–|:)|\b(?:page|article|story|content|file|seite)\s+(?:was\s+|is\s+)?not"
    r"\s+(?:be\s+)?found\b|^not found$|\bpage (?:can.?t|cannot|could not) be found|\bnothing (?:was )?found\b"
    r"|seite (?:wurde )?nicht gefunden|fehler 404|page (?:introuvable|non trouv[ée]e)|p[áa]gina no encontrada"
    r"|p[áa]gina n[ãa]o encontrada|pagina non trovata|pagina niet gevonden|sidan hittades inte|siden (?:blev )?"
    r"ikke fundet|side ikke funnet|strona nie (?:zosta[łl]a )?znaleziona|nie znaleziono strony|страница не найдена"
    r"|ページが見つかりません|页面不存在|找不到(?:该|此)?页面|页面未找到|sayfa bulunamad[ıi]|oops!? that page",
    re.IGNORECASE,
)
NOT_FOUND_SENTENCE = re.compile(
    r"\bpage (?:you (?:are|were|.re) looking for|you requested|requested) (?:could not be found|cannot be found"
    r"|can.?t be found|was not found|does(?: not|n.?t) exist|no longer exists|is no longer available)"
    r"|\bdie (?:von ihnen )?(?:angeforderte|gesuchte|aufgerufene) seite (?:existiert (?:leider )?(?:nicht|nicht mehr)"
    r"|wurde (?:leider )?nicht gefunden|konnte nicht gefunden werden)"
    r"|\bla page (?:que vous (?:recherchez|cherchez)|demand[ée]e) (?:n.existe pas|est introuvable)"
    r"|\bla p[áa]gina (?:que (?:buscas|busca|est[áa]s buscando)|solicitada) no existe"
    r"|\bla pagina (?:che stai cercando|richiesta) non esiste",
    re.IGNORECASE,
)
REFUSAL_STATUSES = frozenset({401, 403, 429, 503})
PAYWALL_PROMPT = re.compile(
    r"subscribe (?:now )?to (?:continue|keep|read)|to (?:continue|keep) reading|already a (?:subscriber|member)"
    r"|(?:only )?(?:available|reserved|exclusive) (?:to|for) (?:paying )?(?:subscribers|members)|subscribers only"
    r"|become a (?:subscriber|member) to|unlock (?:this|the full) (?:article|story)|create a free account to"
    r"|weiterlesen mit|jetzt weiterlesen|exklusiv für abonnenten|abonnieren sie,? um|r[ée]serv[ée] aux abonn[ée]s"
    r"|exclusivo para suscriptores|riservato agli abbonati",
    re.IGNORECASE,
)
TRUNCATION = re.compile(
    r"^(?:continue reading|read (?:the )?(?:full|whole|rest of the) (?:article|story)|read more)\W*$|\[(?:…|\.\.\.)\]$"
)

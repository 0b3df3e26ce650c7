"""Assessment + patient details -> handout HTML (Flask templates and Flask-Babel)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

from flask import current_app, render_template
from flask_babel import force_locale, format_date, gettext

from clinic.handout import content
from clinic.handout.glyphs import clean_text
from clinic.handout.request import HandoutError, HandoutRequest

LOGO_EXTENSIONS = (".png", ".jpg", ".svg")


def translate(message: str) -> str:
    """gettext for strings held in variables (content.py marks them for extraction)."""
    return gettext(message)


def build_html(req: HandoutRequest) -> str:
    """Render the handout HTML in the request's language (needs an app context)."""
    with force_locale(req.lang):
        context = build_context(req)
        return render_template("handout/handout.html", **context)


def build_context(req: HandoutRequest) -> dict[str, Any]:
    """Plain template values; every text is translated, cleaned for the fonts and str."""
    static = current_app.static_folder or ""
    fonts_dir = os.path.join(static, "fonts")
    report: dict[str, int] = {}

    def text(value: Any, field: str, translate: bool = False) -> str:
        value = "" if value is None else str(value)
        if translate and value:
            value = gettext(value)  # Flask-Babel's gettext: no %-formatting, no Markup
        return clean_text(value, fonts_dir, field, report)

    def reasons(items: Any, field: str) -> list[str]:
        return [text(_get(item, "text"), field, translate=True) for item in _list(items)]

    assessment = req.assessment
    tried = set(_list((req.answers or {}).get("tried")))
    urgency = assessment["urgency"]
    recommended = []
    for item in _list(assessment.get("recommended")):
        code = _option(item)
        steps = content.OPTION_STEPS.get(code, content.GENERIC_STEPS)
        recommended.append({
            "name": translate(content.OPTION_NAMES[code]),
            "optional": _get(item, "strength") == "optional",
            "do": translate(steps["do"]),
            "when": translate(steps["when"]),
            "watch": translate(steps["watch"]),
            "reasons": reasons(_get(item, "reasons"), "reason"),
            "cautions": reasons(_get(item, "cautions"), "caution"),
            "source": text(_get(item, "source"), "source", translate=True),
            "evidence": text(_get(item, "evidence"), "evidence", translate=True),
            "tried": code in tried,
        })
    not_recommended = []
    for item in _list(assessment.get("not_recommended")):
        code = _option(item)
        not_recommended.append({
            "name": translate(content.OPTION_NAMES[code]),
            "reasons": reasons(_get(item, "reasons"), "reason"),
            "tried": code in tried,
        })
    listed = {_option(i) for i in _list(assessment.get("recommended"))}
    listed |= {_option(i) for i in _list(assessment.get("not_recommended"))}
    tried_other = [translate(content.OPTION_NAMES[c]) for c in content.OPTION_NAMES
                   if c in tried and c not in listed]
    config = current_app.config
    return {
        "lang": req.lang,
        "paper": req.paper,
        "large_print": req.large_print,
        "clinic_name": text(config["CLINIC_NAME"], "clinic_name"),
        "clinic_address": text(config["CLINIC_ADDRESS"], "clinic_address"),
        "clinic_phone": text(config["CLINIC_PHONE"], "clinic_phone"),
        "logo": _logo_path(static, config["CLINIC_LOGO"]),
        "patient_name": text(req.patient_name, "patient_name"),
        "reference": text(req.reference, "reference"),
        "date": format_date(req.date, format="long"),
        "urgency": urgency,
        "urgency_title": translate(content.URGENCY[urgency]["title"]),
        "urgency_action": translate(content.URGENCY[urgency]["action"]),
        "urgency_reasons": reasons(assessment.get("urgency_reasons"), "urgency_reason"),
        "get_help_signs": [translate(s) for s in content.GET_HELP_SIGNS],
        "recommended": recommended,
        "not_recommended": not_recommended,
        "tried_other": tried_other,
        "replaced_characters": sum(report.values()),
    }


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise HandoutError("assessment list field has the wrong type")
    return list(value)


def _get(item: Any, key: str) -> Any:
    if not isinstance(item, Mapping):
        raise HandoutError("assessment item has the wrong type")
    return item.get(key)


def _option(item: Any) -> str:
    code = _get(item, "option")
    if code not in content.OPTION_NAMES:
        raise HandoutError("assessment names an unknown option")
    return str(code)


def _logo_path(static: str, logo: Any) -> str | None:
    """Relative URL of the configured logo under static/img/, or None if unusable."""
    if not logo or not isinstance(logo, str) or os.path.basename(logo) != logo:
        return None
    if not logo.lower().endswith(LOGO_EXTENSIONS):
        return None
    img_dir = os.path.realpath(os.path.join(static, "img"))
    path = os.path.realpath(os.path.join(img_dir, logo))
    if os.path.dirname(path) != img_dir or not os.path.isfile(path):
        return None
    return "img/" + quote(logo)

"""Assessment + patient details -> handout HTML (Flask templates and Flask-Babel)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any

from babel.dates import format_skeleton
from babel.numbers import format_decimal
from flask import current_app, render_template
from flask_babel import force_locale, gettext

from clinic import triage
from clinic.branding import logo_path
from clinic.clock import show_date
from clinic.handout import content, sheet, sheet_words
from clinic.handout.glyphs import clean_text
from clinic.handout.request import HandoutError, HandoutRequest

PLAN_URGENCIES = ("routine", "self_care")
TRIED_PREFIX = "tried:"


def translate(message: str, **variables: Any) -> str:
    """gettext for strings held in variables (content.py marks them for extraction)."""
    return str(gettext(message, **variables))


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

    def reasons(items: Iterable[Any], field: str) -> list[str]:
        return [text(_get(item, "text"), field, translate=True) for item in items]

    config = current_app.config
    number = text(config["EMERGENCY_NUMBER"], "emergency_number")
    phone = text(config["CLINIC_PHONE"], "clinic_phone")
    assessment = req.assessment
    urgency = assessment["urgency"]
    plan_sheet = urgency in PLAN_URGENCIES
    tried = _tried(req.answers, assessment)
    neck_only = sheet.neck_only(req.answers)
    recommended = [_option_context(item, tried, reasons, neck_only)
                   for item in _list(assessment.get("recommended"))] if plan_sheet else []
    not_recommended = []
    for item in _list(assessment.get("not_recommended")) if plan_sheet else []:
        code = _option(item)
        lines = reasons(_list(_get(item, "reasons")), "reason")
        if code in tried and not _has_tried_reason(item):
            lines.append(translate(content.TRIED_NOT_RECOMMENDED))
        not_recommended.append({"name": translate(content.OPTION_NAMES[code]), "reasons": lines})
    listed = {_option(i) for key in ("recommended", "not_recommended")
              for i in _list(assessment.get(key))}
    tried_other = [translate(content.OPTION_NAMES[c]) for c in content.OPTION_NAMES
                   if c in tried and c not in listed] if plan_sheet else []
    # Only a sheet with a plan promises one; an empty plan says so honestly (brief §4).
    if not plan_sheet:
        now, title = content.URGENCY[urgency], content.TITLE_NOW
    elif recommended:
        now, title = content.URGENCY[urgency], content.TITLE_PLAN
    else:
        now, title = content.NO_PLAN, content.TITLE_NO_PLAN
    # The patient reads only the reasons for the level decided; staff see them all.
    all_reasons = _list(assessment.get("urgency_reasons"))
    for item in all_reasons:
        _get(item, "code")  # each reason must be a mapping (HandoutError otherwise)
    shown_reasons = triage.patient_reasons(urgency, all_reasons)
    clinic_name = text(config["CLINIC_NAME"], "clinic_name")
    reason_codes = [str(_get(item, "code")) for item in all_reasons]
    follow_up = translate(content.FOLLOW_UP, weeks=config["FOLLOW_UP_WEEKS"])
    return {
        "lang": req.lang,
        "paper": req.paper,
        "large_print": req.large_print,
        "title": translate(title),
        "clinic_name": clinic_name,
        "clinic_address": text(config["CLINIC_ADDRESS"], "clinic_address"),
        "clinic_phone": phone,
        "logo": logo_path(static, config["CLINIC_LOGO"]),
        "patient_name": text(req.patient_name, "patient_name"),
        "reference": text(req.reference, "reference"),
        # Written as the kiosk and the staff pages write dates (the clinic's locale).
        "date": show_date(req.date, "long", req.lang),
        "urgency": urgency,
        "progress": _progress(req),
        "plan_sheet": plan_sheet,
        "now_title": translate(now["title"]),
        "now_actions": _now_actions(urgency, now, all_reasons, number),
        "urgency_reasons": reasons(shown_reasons, "urgency_reason"),
        "recommended": recommended,
        "plan": (sheet.plan_parts(req, urgency, recommended, tried, translate, number)
                 if plan_sheet else None),
        "emergency_team": (sheet.emergency_team(req, reason_codes, translate, text,
                                                clinic_name, phone)
                           if urgency == "emergency" else None),
        "not_recommended": not_recommended,
        "tried_other": tried_other,
        # Emergency and urgent sheets carry the first two tiers only: no "book a visit"
        # (brief v3 §4.3).
        "safety_net": _safety_net(number, phone, follow_up)[:None if plan_sheet else 2],
        "sources": [{"name": option["name"], "text": option["source"]}
                    for option in recommended if option["source"]],
        "replaced_characters": sum(report.values()),
    }


def _progress(req: HandoutRequest) -> str | None:
    """ "Your pain and how much it gets in your way: 4 out of 10 today. At your visit on March 3
    it was 7 out of 10." in the handout's language; None for a first visit."""
    if req.progress is None:
        return None
    same_year = req.progress.before_date.year == req.date.year
    return translate(content.PROGRESS,
                     today=format_decimal(req.progress.today, locale=req.lang),
                     before=format_decimal(req.progress.before, locale=req.lang),
                     # "March 3" this year; "March 3, 2025" for an earlier year.
                     day=(format_skeleton("MMMMd", req.progress.before_date, locale=req.lang)
                          if same_year else show_date(req.progress.before_date, "long",
                                                      req.lang)))


def _option_context(item: Any, tried: set[str], reasons: Any,
                    neck_only: bool = False) -> dict[str, Any]:
    """One recommended option: steps, pictures, reasons (without the tried note), cautions."""
    code = _option(item)
    steps = content.OPTION_STEPS.get(code, content.GENERIC_STEPS)
    cautions = _list(_get(item, "cautions"))
    caution_codes = {_get(c, "code") for c in cautions}
    hidden: set[str] = set()
    for caution_code, names in content.FIGURES_NOT_WITH.items():
        if caution_code in caution_codes:
            hidden |= names
    shown = [name for name in content.OPTION_FIGURES.get(code, ()) if name not in hidden
             and (not neck_only or name in content.NECK_ONLY_FIGURES)]
    figures = [
        {"src": content.FIGURES[name]["src"], "alt": translate(content.FIGURES[name]["alt"]),
         "caption": translate(content.FIGURES[name]["caption"])}
        for name in shown
    ]
    was_tried = code in tried
    do = steps["tried"] if was_tried and "tried" in steps else steps["do"]
    if "fragile_bones" in caution_codes and "do_fragile" in steps:
        do = steps["do_fragile"]
    own_reasons = [r for r in _list(_get(item, "reasons")) if not _is_tried_note(r)]
    return {
        "code": code,
        "name": translate(content.OPTION_NAMES[code]),
        "optional": _get(item, "strength") == "optional",
        "do": translate(do),
        "when": translate(steps["when"]),
        "watch": translate(steps["watch"]),
        "reasons": reasons(own_reasons, "reason"),
        "cautions": [translate(sheet_words.FRAGILE_BONES_POINTER)
                     if _get(c, "code") == "fragile_bones" else reasons([c], "caution")[0]
                     for c in cautions],
        "caution_codes": sorted(str(c) for c in caution_codes),
        "tried": translate(content.TRIED) if was_tried else "",
        "figures": figures,
        "source": translate(content.SOURCES[code]) if code in content.SOURCES else "",
    }


def _now_actions(urgency: str, now: Mapping[str, str], all_reasons: list[Any],
                 number: str) -> list[str]:
    """What to do now: the triage's one instruction for an emergency or urgent sheet (the
    same words the kiosk shows), the level's own line otherwise."""
    action = triage.instruction(urgency, all_reasons)
    if action is None:
        return [translate(now["action"])]
    return [action.said(translate, number=number)]


def _safety_net(number: str, phone: str, follow_up: str) -> list[dict[str, Any]]:
    """The three tiers, each a heading and its signs; the last is the follow-up sentence."""
    today = (translate(content.TIER_TODAY_PHONE, phone=phone) if phone
             else translate(content.TIER_TODAY))
    return [
        {"level": "now", "heading": translate(content.TIER_EMERGENCY, number=number),
         "signs": [translate(s) for s in content.TIER_EMERGENCY_SIGNS]},
        {"level": "today", "heading": today,
         "signs": [translate(s) for s in content.TIER_TODAY_SIGNS]},
        {"level": "visit", "heading": follow_up, "signs": []},
    ]


def _tried(answers: Mapping[str, Any] | None, assessment: Mapping[str, Any]) -> set[str]:
    """Options the patient tried: the intake's list, and any option with a tried note."""
    tried = {str(code) for code in _list((answers or {}).get("tried"))}
    for key in ("recommended", "not_recommended"):
        for item in _list(assessment.get(key)):
            if _has_tried_reason(item):
                tried.add(_option(item))
    return tried


def _is_tried_note(reason: Any) -> bool:
    """A reason the engine adds when the patient already tried the option ("tried:heat")."""
    return str(_get(reason, "code") or "").startswith(TRIED_PREFIX)


def _has_tried_reason(item: Any) -> bool:
    return any(_is_tried_note(r) for r in _list(_get(item, "reasons")))


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

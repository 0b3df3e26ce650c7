"""Parts of the handout added by clinical brief v3 §4.3, as plain template values: the
emergency team's part, and a plan sheet's summary, stay-active, recovery and condition lines.

Nothing here decides urgency or options: it reads what the triage decided (urgency, reason
and caution codes) and the intake's answers (conditions, pain areas, tried), and picks words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from babel.dates import format_time

from clinic import triage
from clinic.clock import display_locale, local_time, show_date
from clinic.handout import content
from clinic.handout import sheet_words as words
from clinic.handout.request import HandoutRequest

Translate = Callable[..., str]
FRAGILE_BONES = ("osteoporosis", "long_term_steroids")


def answers_list(answers: Mapping[str, Any] | None, key: str) -> set[str]:
    value = (answers or {}).get(key)
    if not isinstance(value, (list, tuple)):
        return set()
    return {str(item) for item in value}


def neck_only(answers: Mapping[str, Any] | None) -> bool:
    return answers_list(answers, "pain_areas") == {"neck"}


def emergency_team(req: HandoutRequest, reason_codes: list[str], translate: Translate,
                   text: Callable[[Any, str], str], clinic_name: str,
                   clinic_phone: str) -> dict[str, Any]:
    """The part the patient hands to the emergency team: who, when, why (staff words)."""
    reported = words.BLANK
    if req.reported_at is not None:
        moment = local_time(req.reported_at)
        clock = format_time(moment, "short", locale=display_locale(req.lang))
        reported = f"{show_date(moment.date(), 'medium', req.lang)}, {clock}"
    # Staff dates ("medium": the month by name, short): the part must stay on page 1.
    birth = (show_date(req.date_of_birth, "medium", req.lang) if req.date_of_birth
             else words.BLANK)
    return {
        "title": translate(words.TEAM_TITLE),
        "rows": [
            (translate(words.TEAM_NAME), text(req.patient_name, "patient_name") or words.BLANK),
            (translate(words.TEAM_BIRTH), birth),
            (translate(words.TEAM_REPORTED), reported),
            *([(translate(words.TEAM_REFERENCE), text(req.reference, "reference"))]
              if req.reference else []),
            (translate(words.TEAM_CLINIC),
             " · ".join(part for part in (clinic_name, clinic_phone) if part)),
        ],
        "reasons_label": translate(words.TEAM_REASONS),
        "reasons": [triage.staff_words(code) for code in reason_codes],
    }


def check_first(recommended: Sequence[Mapping[str, Any]]) -> bool:
    """Any recommended option with a check-first caution (pregnancy and heat, recent surgery
    and strengthening or exercise)."""
    return any((option["code"], code) in words.CHECK_FIRST_CAUTIONS
               for option in recommended for code in option["caution_codes"])


def summary(urgency: str, recommended: Sequence[Mapping[str, Any]], tried: set[str],
            conditions: set[str], translate: Translate, number: str) -> dict[str, Any]:
    """Page 1 of a plan sheet: what to do, three things today, and the danger signs."""
    lines = []
    if recommended:
        if urgency == "routine":
            # "…before you start it" says when to start: never "start today" beside it.
            lines.append(translate(words.ROUTINE_TODAY))
        else:
            lines.append(translate(words.CHECK_FIRST if check_first(recommended)
                                   else words.START_TODAY))
    else:
        lines.append(translate(content.NO_PLAN["action"]))
    today = []
    # The plan's first steps: recommended options before optional ones.
    for option in sorted(recommended, key=lambda option: bool(option["optional"])):
        code = option["code"]
        if code == "daily_exercise" and "recent_back_surgery" in conditions:
            today.append(words.TODAY_WALK_SURGERY)
        elif code in tried and code in words.TODAY_TRIED:
            today.append(words.TODAY_TRIED[code])
        else:
            today.append(words.TODAY[code])
    for filler in (words.TODAY_KEEP_MOVING, content.PAIN_MEDICINE, words.TODAY_GET_HELP):
        if len(today) >= 3:
            break
        today.append(filler)
    return {
        "lines": lines,
        "three_title": translate(words.THREE_THINGS),
        "three": [translate(item) for item in today[:3]],
        "danger": translate(words.DANGER_LINE, number=number),
    }


def recovery(req: HandoutRequest, conditions: set[str], translate: Translate) -> str:
    """What recovery usually looks like, by case (surgery, pregnancy, neck only, duration)."""
    long_term = req.assessment.get("duration_class") == "chronic"
    if "recent_back_surgery" in conditions:
        message = words.RECOVERY_SURGERY
    elif "pregnant" in conditions:
        message = words.RECOVERY_PREGNANT
    elif neck_only(req.answers):
        message = words.RECOVERY_NECK_LONG if long_term else words.RECOVERY_NECK_NEW
    else:
        message = words.RECOVERY_LONG if long_term else words.RECOVERY_NEW
    return translate(message)


def condition_lines(conditions: set[str], recommended: Sequence[Mapping[str, Any]],
                    translate: Translate, number: str) -> list[dict[str, str]]:
    """One line per condition present: {"title", "text"} (title may be empty)."""
    lines = []
    if conditions & set(FRAGILE_BONES):
        text = translate(words.FRAGILE_BONES)
        if "long_term_steroids" in conditions:
            text = translate(words.STEROIDS_OPENER) + " " + text
        lines.append({"title": translate(words.FRAGILE_BONES_TITLE), "text": text})
    if "blood_thinners" in conditions:
        lines.append({"title": "", "text": translate(words.BLOOD_THINNERS)})
    if "pregnant" in conditions:
        lines.append({"title": "", "text": translate(words.PREGNANT)})
    if "recent_back_surgery" in conditions:
        lines.append({"title": "", "text": translate(words.RECENT_SURGERY)})
    chiro = next((o for o in recommended if o["code"] == "chiropractic_referral"), None)
    if chiro is not None:
        if "pain_area:neck" in chiro["caution_codes"]:
            lines.append({"title": "", "text": translate(words.CHIRO_NECK, number=number)})
        lines.append({"title": "", "text": translate(words.CHIRO_SORENESS, number=number)})
    return lines


def plan_parts(req: HandoutRequest, urgency: str, recommended: Sequence[Mapping[str, Any]],
               tried: set[str], translate: Translate, number: str) -> dict[str, Any]:
    """Everything v3 adds to a self-care or routine sheet."""
    conditions = answers_list(req.answers, "conditions")
    surgery = "recent_back_surgery" in conditions
    medicine = translate(content.PAIN_MEDICINE)
    if "pain_medicine" in answers_list(req.answers, "tried"):
        medicine = translate(words.MEDICINE_TRIED) + " " + medicine
    return {
        "summary": summary(urgency, recommended, tried, conditions, translate, number),
        "stay_active_title": translate(words.STAY_ACTIVE_TITLE),
        "stay_active": translate(words.STAY_ACTIVE_SURGERY if surgery else words.STAY_ACTIVE),
        "reassurance": translate(words.REASSURANCE),
        "recovery_title": translate(words.RECOVERY_TITLE),
        "recovery": recovery(req, conditions, translate),
        "comfort_title": translate(words.COMFORT_TITLE),
        "comfort": translate(words.COMFORT_IN_BED_PREGNANT if "pregnant" in conditions
                             else words.COMFORT_IN_BED),
        "conditions_title": translate(words.CONDITIONS_TITLE),
        "conditions": condition_lines(conditions, recommended, translate, number),
        "pain_medicine": medicine,
    }

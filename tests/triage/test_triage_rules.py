"""The rule data itself: vocabulary, version digest, messages, generated docs, safety invariants."""

import dataclasses
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

import clinic.triage as triage
from clinic.triage import version
from clinic.triage.conditions import HasCondition
from clinic.triage.docs import DEFAULT_PATH, REGENERATE
from clinic.triage.engine import decide_options
from clinic.triage.facts import Facts
from clinic.triage.rules import OPTION_INFO, OPTION_RULES, RULES, URGENCY_RULES
from clinic.triage.rules.care import EXERCISE
from tests.triage.triage_support import WITHHOLD_CONDITIONS, base_intake, enum, schema

REPO = Path(__file__).resolve().parents[2]


def test_vocabulary_matches_the_contract_enums() -> None:
    assert triage.PAIN_AREAS == enum("pain_areas")
    assert triage.PAIN_KINDS == enum("pain_kinds")
    assert triage.DURATIONS == enum("duration")
    assert triage.ONSETS == enum("onset")
    assert triage.RED_FLAGS == enum("red_flags")
    assert triage.CONDITIONS == enum("conditions")
    assert triage.TRIED_CHOICES == enum("tried") == (*triage.OPTIONS, "pain_medicine")
    assessment = schema("assessment")
    assert triage.OPTIONS == tuple(assessment["$defs"]["option"]["enum"])
    assert set(triage.URGENCIES) == set(assessment["properties"]["urgency"]["enum"])
    assert triage.URGENCIES == ("emergency", "urgent", "routine", "self_care")
    age = schema("intake")["properties"]["age"]
    severity = schema("intake")["properties"]["severity"]
    assert (triage.AGE_MIN, triage.AGE_MAX) == (age["minimum"], age["maximum"]) == (16, 120)
    assert triage.SEVERITY_MAX == severity["maximum"] == 10


def test_duration_classes_follow_the_brief() -> None:
    assert dict(triage.DURATION_CLASSES) == {
        "under_1_week": "acute", "1_to_4_weeks": "acute", "4_to_12_weeks": "subacute",
        "3_to_12_months": "chronic", "over_1_year": "chronic",
    }
    classes = schema("assessment")["properties"]["duration_class"]["enum"]
    assert set(triage.DURATION_CLASSES.values()) == set(classes)


def test_rules_version_is_human_version_plus_digest() -> None:
    assert re.fullmatch(r"\d{4}\.\d{2}-\d+\+[0-9a-f]{12}", triage.RULES_VERSION)
    assert len(triage.RULES_VERSION) <= 64  # the intakes table's rules_version column
    assert triage.RULES_VERSION == f"{version.HUMAN_VERSION}+{version.rules_digest()}"
    assert triage.assess(base_intake())["rules_version"] == triage.RULES_VERSION


def test_rules_version_marks_brief_v3() -> None:
    assert version.BRIEF_VERSION == 3
    assert version.HUMAN_VERSION == "2026.12-3"
    assert triage.RULES_VERSION.startswith("2026.12-3+")


@pytest.mark.parametrize("change", [
    {"text": "You said something else."},
    {"when": HasCondition("pregnant")},
    {"source": "Source 002, elsewhere"},
    {"evidence": "Another line."},
    {"code": "other"},
    {"strength": "optional"},
])
def test_any_change_to_rule_data_changes_the_digest(change: dict[str, object]) -> None:
    rules = list(RULES)
    rules[3] = dataclasses.replace(rules[3], **change)
    assert version.rules_digest(rules) != version.rules_digest()


def test_reordering_rules_changes_the_digest() -> None:
    assert version.rules_digest(reversed(RULES)) != version.rules_digest()


def test_option_source_change_changes_the_digest() -> None:
    infos = [dataclasses.replace(o, source=o.source + " (edited)") if o.name == "heat" else o
             for o in OPTION_INFO.values()]
    assert version.rules_digest(options=infos) != version.rules_digest()


def test_every_rule_is_complete() -> None:
    assert len({rule.id for rule in RULES}) == len(RULES)
    for rule in RULES:
        assert rule.brief.startswith("§"), rule.id
        assert rule.when.words(), rule.id
        assert rule.code and rule.text and rule.source and rule.evidence, rule.id
    for option, info in OPTION_INFO.items():
        assert re.match(r'Source 00[02], "', info.source), option
        assert info.evidence, option
    assert "disagree" in OPTION_INFO["acupuncture"].evidence.lower()


def test_every_brief_urgency_row_has_a_rule() -> None:
    codes = {rule.code for rule in URGENCY_RULES}
    assert set(triage.RED_FLAGS) <= codes
    assert {"both_legs", "both_legs+leg_weakness", "both_legs+numbness_tingling",
            "cancer_history+leg_weakness", "cancer_history+nerve_pain", "serious_injury",
            "cancer_history+both_legs", "fever_or_chills+nerve_sign",
            "fall_or_accident+age_65_plus", "fall_or_accident+osteoporosis",
            "fall_or_accident+long_term_steroids", "activity_onset+osteoporosis",
            "activity_onset+long_term_steroids",
            "age_under_20_new", "age_over_50_new",
            "fall_or_accident", "leg_pain", "arm_pain", "numbness_tingling",
            "severity_8_plus"} <= codes
    levels = [triage.URGENCIES.index(rule.level) for rule in URGENCY_RULES]
    assert levels == sorted(levels), "urgency rules are listed most urgent first"


def test_serious_injury_is_the_last_red_flag_as_in_the_contract() -> None:
    assert triage.RED_FLAGS[-1] == "serious_injury"
    assert triage.RED_FLAGS[:-1] == (
        "bladder_bowel_change", "saddle_numbness", "leg_weakness", "fever_or_chills",
        "cancer_history", "weight_loss", "night_pain", "immune_or_drug_risk",
        "chest_pain_or_breathless",
    )


def test_brief_v2_urgency_rules() -> None:
    by_code = {rule.code: rule for rule in URGENCY_RULES}
    nerve = by_code["cancer_history+nerve_pain"]
    assert nerve.level == "emergency"
    assert nerve.when.reads() == {"red_flags", "pain_kinds"}
    assert "NG234" in nerve.evidence and "NG234" in nerve.source
    injury = by_code["serious_injury"]
    assert injury.level == "urgent"
    assert injury.when.reads() == {"red_flags"}, "urgent whatever the age"
    assert "significant trauma" in injury.source and "CKS" in injury.evidence
    assert injury.text in triage.MESSAGES.values() and nerve.text in triage.MESSAGES.values()


def test_brief_v3_urgency_rules() -> None:
    by_code = {rule.code: rule for rule in URGENCY_RULES}
    fever = by_code["fever_or_chills+nerve_sign"]
    assert fever.level == "emergency"
    assert fever.when.reads() == {"red_flags", "both_legs", "pain_kinds"}
    assert "abscess" in fever.evidence
    cancer = by_code["cancer_history+both_legs"]
    assert cancer.level == "emergency" and cancer.when.reads() == {"red_flags", "both_legs"}
    for condition in ("osteoporosis", "long_term_steroids"):
        fragile = by_code[f"activity_onset+{condition}"]
        assert fragile.level == "urgent"
        assert fragile.when.reads() == {"onset", "conditions"}
        assert "lifting" in fragile.evidence and "CKS" in fragile.evidence
    texts = {rule.code: rule.text for rule in URGENCY_RULES}
    assert "your heart, your lungs or a large blood vessel" in texts["chest_pain_or_breathless"]
    assert texts["immune_or_drug_risk"] == (
        "You said you have a higher chance of infection. Your care team will check you."
    )
    for code in ("age_under_20_new", "age_over_50_new"):
        assert texts[code].endswith(
            "new back pain should be checked by your care team to rule out less common causes."
        )


def test_brief_v3_option_rules() -> None:
    by_id = {rule.id: rule for rule in OPTION_RULES}
    assert "daily_exercise.withhold.recent_back_surgery" not in by_id
    surgery = by_id["daily_exercise.caution.recent_back_surgery"]
    assert "Keep walking as your surgeon advised" in surgery.text
    assert "new exercises or stretches" in surgery.text
    assert "surgeon or care team says it is OK" in (
        by_id["guided_strengthening.caution.recent_back_surgery"].text)
    for option in ("guided_strengthening", "daily_exercise"):
        fragile = by_id[f"{option}.caution.fragile_bones"]
        assert fragile.code == "fragile_bones"
        assert fragile.when.reads() == {"conditions"}
        assert "Avoid sit-ups, touching your toes, and lifting while bent forward." in fragile.text
    assert by_id["chiropractic_referral.recommend.stiffness"].text.startswith(
        "You said your back feels stiff.")
    assert by_id["chiropractic_referral.caution.neck"].when.reads() == {"pain_areas"}
    vitamin_d = by_id["vitamin_d.against.no_benefit"]
    assert vitamin_d.when.spec() == ["always"]
    assert vitamin_d.text.endswith(
        "If a doctor told you to take vitamin D (for example, for your bones), keep taking it.")


def test_withhold_rules_follow_the_brief_table() -> None:
    found: dict[str, set[str]] = {}
    for rule in OPTION_RULES:
        if rule.kind == "withhold" and rule.stage == 1:
            assert isinstance(rule.when, HasCondition), rule.id
            assert rule.code == rule.when.value, rule.id
            found.setdefault(rule.option, set()).add(rule.when.value)
    assert found == WITHHOLD_CONDITIONS


def test_messages_cover_every_rule_text() -> None:
    parts = {f"{action_id}.{part}": text for action_id, action in triage.ACTIONS.items()
             for part, text in (("lead", action.lead), ("rest", action.rest))}
    assert triage.MESSAGES == {rule.id: rule.text for rule in RULES} | parts
    assert len({rule.text for rule in RULES}) == len(RULES)


def _as_read(text: str, **variables: str) -> str:
    return text


# What the patient reads: every rule's text, and each instruction whole (its lead and rest).
PATIENT_TEXTS = {rule.id: rule.text for rule in RULES} | {
    action_id: action.said(_as_read) for action_id, action in triage.ACTIONS.items()}


@pytest.mark.parametrize("message_id", sorted(PATIENT_TEXTS))
def test_messages_are_static_plain_second_person(message_id: str) -> None:
    text = PATIENT_TEXTS[message_id]
    # Brief v3 §4: the patient reads "your care team", US spelling, no jargon or stigma.
    for word in ("clinician", "injected", "out of line", "centre", "colour"):
        assert word not in text.lower(), text
    # Rule texts are static; an action may name the clinic's emergency number.
    placeholders = {"%(number)s"} if message_id in triage.ACTIONS else set()
    for placeholder in placeholders:
        text = text.replace(placeholder, "911")
    assert not re.search(r"[{}%]", text), "texts are static msgids: no interpolation"
    assert text[0].isupper() and text.endswith("."), text
    assert re.search(r"\byou(r)?\b", text, re.IGNORECASE), "speak to the patient"
    for sentence in re.split(r"(?<=\.) ", text):
        assert len(sentence.split()) <= 20, sentence
    assert _grade(text) <= 9, text


def _grade(text: str) -> float:
    """Flesch-Kincaid grade with a rough syllable count (a guard, not a precise measure)."""
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", text)
    sentences = max(1, len(re.findall(r"[.!?](\s|$)", text)))
    syllables = sum(max(1, len(re.findall(r"[aeiouy]+", w.lower())) - w.lower().endswith("e"))
                    for w in words)
    return 0.39 * len(words) / sentences + 11.8 * syllables / len(words) - 15.59


def test_all_messages_together_read_at_grade_8_or_below() -> None:
    assert _grade(" ".join(triage.MESSAGES.values())) <= 8


def test_babel_extracts_every_message_with_keyword_n_() -> None:
    found = {
        message
        for _, _, message, *_ in extract_from_dir(
            str(REPO / "clinic" / "triage"), keywords={"N_": None},
            method_map=[("**.py", "python")],
        )
    }
    assert set(triage.MESSAGES.values()) <= found


def test_rules_doc_is_up_to_date() -> None:
    assert DEFAULT_PATH == REPO / "docs" / "triage-rules.md"
    current = DEFAULT_PATH.read_text(encoding="utf-8") if DEFAULT_PATH.exists() else ""
    assert current == triage.rules_markdown(), (
        f"docs/triage-rules.md is stale: run `{REGENERATE}` from the repository root"
    )


def test_rules_markdown_has_one_row_per_rule() -> None:
    markdown = triage.rules_markdown()
    assert triage.RULES_VERSION in markdown
    for rule in RULES:
        rows = [line for line in markdown.splitlines() if line.startswith(f"| `{rule.id}` |")]
        assert len(rows) == 1, rule.id
        assert rows[0].count(" | ") == 6, rule.id  # seven cells, no stray pipes


def test_every_exercise_withhold_also_withholds_chiropractic() -> None:
    """Safety decision: manual therapy is never offered without exercise (NICE NG59)."""

    def withhold_specs(option: str) -> list[object]:
        return [r.when.spec() for r in OPTION_RULES
                if r.option == option and r.kind == "withhold" and r.stage == 1]

    assert withhold_specs("daily_exercise") == [], "brief v3: surgery is a caution, not a hold"
    assert withhold_specs("chiropractic_referral")
    for spec in withhold_specs("daily_exercise"):
        assert spec in withhold_specs("chiropractic_referral")


def test_pairing_never_adds_exercise_that_is_on_hold() -> None:
    """If exercise were on hold while chiropractic is not, chiropractic is withheld too."""
    hold_in_pregnancy = EXERCISE.rule(
        "withhold", "test.daily_exercise.withhold.pregnant", HasCondition("pregnant"),
        "pregnant", "You are pregnant.",
    )
    facts = Facts.from_intake(base_intake(pain_kinds=["stiffness"], conditions=["pregnant"]))
    normal = decide_options(facts)
    assert normal["chiropractic_referral"].status == "recommended"
    assert [r.code for r in normal["daily_exercise"].recommend] == ["with:chiropractic_referral"]

    decisions = decide_options(facts, (*OPTION_RULES, hold_in_pregnancy))
    chiropractic, exercise = decisions["chiropractic_referral"], decisions["daily_exercise"]
    assert chiropractic.status == "not_recommended"
    assert [r.code for r in chiropractic.reasons_against] == ["exercise_on_hold"]
    assert exercise.status == "not_recommended" and not exercise.recommend

    stiff_after_lifting = Facts.from_intake(base_intake(
        pain_kinds=["stiffness"], onset="lifting", conditions=["pregnant"]))
    decisions = decide_options(stiff_after_lifting, (*OPTION_RULES, hold_in_pregnancy))
    assert decisions["daily_exercise"].status == "not_recommended"
    assert decisions["chiropractic_referral"].status == "not_recommended"

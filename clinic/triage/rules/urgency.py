"""Urgency rules (clinical brief §1). Table order is emergency, urgent, routine."""

from typing import Final

from clinic.triage.compound_conditions import AllOf, AnyOf, Not
from clinic.triage.conditions import (
    AtLeast,
    AtMost,
    Condition,
    DurationClass,
    HasCondition,
    Onset,
    PainKind,
    RedFlag,
    Yes,
)
from clinic.triage.model import N_, Rule

CAUDA_SOURCE: Final = (
    'NICE CKS Sciatica, "Interpreting red flags"; British Association of Spine Surgeons '
    "2018 cauda equina pathway"
)
CAUDA_EVIDENCE: Final = (
    "Cauda equina signs (bladder or bowel change, saddle numbness, symptoms in both legs) "
    "need immediate emergency assessment (NICE CKS; BASS 2018)."
)
DEFICIT_SOURCE: Final = "Local NHS pathways; ACP (Chou 2011) imaging advice"
DEFICIT_EVIDENCE: Final = (
    "New or worsening neurological deficit and suspected spinal infection are same-day; "
    'ACP/Chou 2011: "image immediately" for severe or progressive deficits or infection risk.'
)
CANCER_SOURCE: Final = "NICE CG75 (now NG234), metastatic spinal cord compression"
CANCER_EVIDENCE: Final = (
    "Spinal pain in a person with cancer needs contact within 24 hours, and at once with "
    "neurological symptoms (NICE CG75, now NG234)."
)
CANCER_NERVE_EVIDENCE: Final = (
    "NICE NG234 names radicular pain, limb weakness and sensory loss as signs of spinal cord "
    "compression that need contact at once (clinical brief v2, change 1)."
)
CANCER_BOTH_LEGS_EVIDENCE: Final = (
    "Pain, numbness or tingling in both legs is a nerve sign; with cancer it needs contact at "
    "once, like any other nerve sign (NICE NG234; clinical brief v3, change 2)."
)
FRACTURE_SOURCE: Final = "NICE CKS low back pain red-flag lists (possible fracture)"
FRACTURE_EVIDENCE: Final = (
    "Minor trauma with older age, osteoporosis or steroid use suggests a fracture (CKS)."
)
FRAGILE_EVIDENCE: Final = (
    "Minor trauma with osteoporosis or steroid use suggests a fracture, and for fragile bones "
    "minor trauma includes strenuous lifting (CKS red-flag lists; clinical brief v3, change 3)."
)
INFECTION_SOURCE: Final = "Clinical brief §1 (v3, change 1): possible spinal epidural abscess"
INFECTION_EVIDENCE: Final = (
    "Fever with a new neurological sign suggests a spinal epidural abscess, which needs "
    "emergency imaging (clinical brief v3, change 1; ACP/Chou 2011: image immediately for "
    "infection risk with deficits)."
)
TRAUMA_SOURCE: Final = 'NICE CKS low back pain red-flag lists: "significant trauma"'
TRAUMA_EVIDENCE: Final = (
    "A serious accident (road traffic collision, fall from a height) suggests a spinal "
    'fracture at any age (CKS red flags: "significant trauma"); seen the same day (clinical '
    "brief v2, change 2)."
)
SUSPICION_SOURCE: Final = "Downie et al., BMJ 2013 (red flags for fracture and malignancy)"
SUSPICION_EVIDENCE: Final = (
    "Weight loss, night pain, age over 50 or under 20 with new pain raise suspicion but "
    "rarely change probability on their own (Downie et al., BMJ 2013): review, not alarm."
)
BRIEF_ROUTINE: Final = "Clinical brief §1, routine level"

_FALL = Onset("fall_or_accident")
#: Injury onsets other than a fall: minor trauma for fragile bones (brief v3, change 3).
_ACTIVITY_ONSET = Onset("lifting", "strenuous_activity", "twist_or_sprain")
_NEW_PAIN = DurationClass("acute", "subacute")
#: After a fall, each of these is a fracture risk (U-U5..U-U7); without any, U-R6 applies.
#: Osteoporosis and steroids make any injury onset urgent (U-U9, U-U10; brief v3, change 3).
_AGE_65_PLUS = AtLeast("age", 65)
_OSTEOPOROSIS = HasCondition("osteoporosis")
_STEROIDS = HasCondition("long_term_steroids")
_FRACTURE_RISKS = (_AGE_65_PLUS, _OSTEOPOROSIS, _STEROIDS)
#: Pain kinds that are nerve signs in a person with cancer (NICE NG234), besides weakness.
_NERVE_PAIN = AnyOf(PainKind("numbness_tingling"), PainKind("leg_pain"), PainKind("arm_pain"))
#: Nerve signs that make fever an emergency (brief v3, change 1).
_FEVER_NERVE_SIGN = AnyOf(RedFlag("leg_weakness"), Yes("both_legs"), PainKind("numbness_tingling"))


def _rule(
    rule_id: str, level: str, when_words: str, when: Condition,
    code: str, text: str, source: str, evidence: str,
) -> Rule:
    return Rule(
        id=rule_id, kind="urgency", level=level, brief=f"§1 `{level}`: {when_words}",
        when=when, code=code, text=text, source=source, evidence=evidence,
    )


URGENCY_RULES: Final = (
    # --- emergency: tell the front desk now --------------------------------------------------
    _rule("U-E1", "emergency", "`bladder_bowel_change`", RedFlag("bladder_bowel_change"),
          "bladder_bowel_change",
          N_("You said you have new trouble with your bladder or bowels. With back pain, this "
             "can mean a nerve is badly squeezed. You need to be seen right away."),
          CAUDA_SOURCE, CAUDA_EVIDENCE),
    _rule("U-E2", "emergency", "`saddle_numbness`", RedFlag("saddle_numbness"),
          "saddle_numbness",
          N_("You said you feel numb around your genitals, buttocks or inner thighs. This can "
             "mean a nerve is badly squeezed. You need to be seen right away."),
          CAUDA_SOURCE, CAUDA_EVIDENCE),
    _rule("U-E3", "emergency", "`both_legs` together with `leg_weakness`",
          AllOf(Yes("both_legs"), RedFlag("leg_weakness")), "both_legs+leg_weakness",
          N_("You said you have symptoms in both legs and a leg is getting weaker. This can "
             "mean nerves are badly squeezed. You need to be seen right away."),
          CAUDA_SOURCE, CAUDA_EVIDENCE),
    _rule("U-E4", "emergency", "`both_legs` together with the pain kind `numbness_tingling`",
          AllOf(Yes("both_legs"), PainKind("numbness_tingling")),
          "both_legs+numbness_tingling",
          N_("You said you have numbness or tingling, and symptoms in both legs. This can mean "
             "nerves are badly squeezed. You need to be seen right away."),
          CAUDA_SOURCE, CAUDA_EVIDENCE),
    _rule("U-E5", "emergency", "`chest_pain_or_breathless`", RedFlag("chest_pain_or_breathless"),
          "chest_pain_or_breathless",
          N_("You said you have chest pain or trouble breathing with your back pain. This can "
             "be a problem with your heart, your lungs or a large blood vessel. You need to be "
             "seen right away."),
          "Clinical brief §1 (non-spinal emergency sign)",
          "Chest pain or breathlessness with back pain is a non-spinal emergency sign."),
    _rule("U-E6", "emergency", "`cancer_history` together with `leg_weakness`",
          AllOf(RedFlag("cancer_history"), RedFlag("leg_weakness")),
          "cancer_history+leg_weakness",
          N_("You said you have had cancer and a leg is getting weaker. This can mean the "
             "spine is pressing on nerves. You need to be seen right away."),
          CANCER_SOURCE, CANCER_EVIDENCE),
    _rule("U-E7", "emergency",
          "`cancer_history` together with any of the pain kinds `numbness_tingling`, "
          "`leg_pain`, `arm_pain`",
          AllOf(RedFlag("cancer_history"), _NERVE_PAIN), "cancer_history+nerve_pain",
          N_("You said you have had cancer. You also have numbness, tingling or pain that "
             "spreads into a leg or arm. This can mean the spine is pressing on nerves. You "
             "need to be seen right away."),
          CANCER_SOURCE, CANCER_NERVE_EVIDENCE),
    _rule("U-E8", "emergency", "`cancer_history` together with `both_legs`",
          AllOf(RedFlag("cancer_history"), Yes("both_legs")), "cancer_history+both_legs",
          N_("You said you have had cancer, and you have pain, numbness or tingling in both "
             "legs. This can mean the spine is pressing on nerves. You need to be seen right "
             "away."),
          CANCER_SOURCE, CANCER_BOTH_LEGS_EVIDENCE),
    _rule("U-E9", "emergency",
          "`fever_or_chills` together with `leg_weakness`, `both_legs` or the pain kind "
          "`numbness_tingling`",
          AllOf(RedFlag("fever_or_chills"), _FEVER_NERVE_SIGN), "fever_or_chills+nerve_sign",
          N_("You said you have fever or chills. You also have a leg getting weaker, numbness "
             "or tingling, or symptoms in both legs. This can mean an infection near the "
             "spine. You need to be seen right away."),
          INFECTION_SOURCE, INFECTION_EVIDENCE),
    # --- urgent: seen by a clinician today, before leaving -----------------------------------
    _rule("U-U1", "urgent", "`leg_weakness`", RedFlag("leg_weakness"), "leg_weakness",
          N_("You said a leg or foot is getting weaker. Someone from your care team needs to "
             "check your nerves today."),
          DEFICIT_SOURCE, DEFICIT_EVIDENCE),
    _rule("U-U2", "urgent", "`fever_or_chills`", RedFlag("fever_or_chills"), "fever_or_chills",
          N_("You said you have fever or chills with your back pain. Someone from your care "
             "team needs to check you for an infection today."),
          DEFICIT_SOURCE, DEFICIT_EVIDENCE),
    _rule("U-U3", "urgent", "`cancer_history`", RedFlag("cancer_history"), "cancer_history",
          N_("You said you have or have had cancer. Back pain in people who have had cancer "
             "needs a check by your care team today."),
          CANCER_SOURCE, CANCER_EVIDENCE),
    _rule("U-U4", "urgent", "`both_legs`", Yes("both_legs"), "both_legs",
          N_("You said you have pain, numbness or tingling in both legs. Someone from your "
             "care team needs to check your nerves today."),
          CAUDA_SOURCE,
          "Pain in both legs can be an early cauda equina sign (NICE CKS Sciatica)."),
    _rule("U-U5", "urgent", "onset `fall_or_accident` together with age 65 or over",
          AllOf(_FALL, _AGE_65_PLUS), "fall_or_accident+age_65_plus",
          N_("Your pain started with a fall or accident, and you are 65 or older. Someone from "
             "your care team needs to check for a broken bone today."),
          FRACTURE_SOURCE, FRACTURE_EVIDENCE),
    _rule("U-U6", "urgent", "onset `fall_or_accident` together with `osteoporosis`",
          AllOf(_FALL, _OSTEOPOROSIS), "fall_or_accident+osteoporosis",
          N_("Your pain started with a fall or accident, and you have thin bones "
             "(osteoporosis). Someone from your care team needs to check for a broken bone "
             "today."),
          FRACTURE_SOURCE, FRACTURE_EVIDENCE),
    _rule("U-U7", "urgent", "onset `fall_or_accident` together with `long_term_steroids`",
          AllOf(_FALL, _STEROIDS), "fall_or_accident+long_term_steroids",
          N_("Your pain started with a fall or accident, and you take steroid pills. Steroids "
             "can make bones weak. Someone from your care team needs to check for a broken "
             "bone today."),
          FRACTURE_SOURCE, FRACTURE_EVIDENCE),
    _rule("U-U8", "urgent", "`serious_injury`", RedFlag("serious_injury"), "serious_injury",
          N_("You said your pain started after a serious accident, like a car crash or a fall "
             "from high up. Someone from your care team needs to check for a broken bone "
             "today."),
          TRAUMA_SOURCE, TRAUMA_EVIDENCE),
    _rule("U-U9", "urgent",
          "onset `lifting`, `strenuous_activity` or `twist_or_sprain` together with "
          "`osteoporosis`",
          AllOf(_ACTIVITY_ONSET, _OSTEOPOROSIS), "activity_onset+osteoporosis",
          N_("Your pain started with lifting, hard activity or a twist, and you have thin bones "
             "(osteoporosis). With thin bones, even this can break a bone. Someone from your "
             "care team needs to check you today."),
          FRACTURE_SOURCE, FRAGILE_EVIDENCE),
    _rule("U-U10", "urgent",
          "onset `lifting`, `strenuous_activity` or `twist_or_sprain` together with "
          "`long_term_steroids`",
          AllOf(_ACTIVITY_ONSET, _STEROIDS), "activity_onset+long_term_steroids",
          N_("Your pain started with lifting, hard activity or a twist, and you take steroid "
             "pills. Steroids can make bones weak, so even this can break a bone. Someone from "
             "your care team needs to check you today."),
          FRACTURE_SOURCE, FRAGILE_EVIDENCE),
    # --- routine: a clinician reviews the self-care plan -------------------------------------
    _rule("U-R1", "routine", "`weight_loss`", RedFlag("weight_loss"), "weight_loss",
          N_("You said you lost weight without trying. Your care team will look into this."),
          SUSPICION_SOURCE, SUSPICION_EVIDENCE),
    _rule("U-R2", "routine", "`night_pain`", RedFlag("night_pain"), "night_pain",
          N_("You said your pain does not ease with rest and is worse at night. Your care team "
             "will look into this."),
          SUSPICION_SOURCE, SUSPICION_EVIDENCE),
    _rule("U-R3", "routine", "`immune_or_drug_risk`", RedFlag("immune_or_drug_risk"),
          "immune_or_drug_risk",
          N_("You said you have a higher chance of infection. Your care team will check you."),
          BRIEF_ROUTINE + "; NICE CKS red-flag lists (infection risk)", SUSPICION_EVIDENCE),
    _rule("U-R4", "routine", "age under 20 with an acute or subacute episode",
          AllOf(AtMost("age", 19), _NEW_PAIN), "age_under_20_new",
          N_("Under age 20, new back pain should be checked by your care team to rule out less "
             "common causes."),
          SUSPICION_SOURCE, SUSPICION_EVIDENCE),
    _rule("U-R5", "routine", "age over 50 with an acute or subacute episode",
          AllOf(AtLeast("age", 51), _NEW_PAIN), "age_over_50_new",
          N_("Over age 50, new back pain should be checked by your care team to rule out less "
             "common causes."),
          SUSPICION_SOURCE, SUSPICION_EVIDENCE),
    _rule("U-R6", "routine", "onset `fall_or_accident` (other cases)",
          AllOf(_FALL, Not(AnyOf(*_FRACTURE_RISKS))),
          "fall_or_accident",
          N_("Your pain started with a fall or accident. Your care team will check you."),
          FRACTURE_SOURCE, "Trauma is a red flag for fracture (CKS); without other risks it "
          "means review, not alarm (clinical brief §1)."),
    _rule("U-R7", "routine", "pain kind `leg_pain` (possible nerve root pain)",
          PainKind("leg_pain"), "leg_pain",
          N_("You said pain spreads down your leg. This can come from a nerve. Your care team "
             "will check it."),
          BRIEF_ROUTINE + " (possible nerve root pain)",
          "Pain spreading down a leg can be nerve root pain; a clinician should review it."),
    _rule("U-R8", "routine", "pain kind `arm_pain` (possible nerve root pain)",
          PainKind("arm_pain"), "arm_pain",
          N_("You said pain spreads into your arm. This can come from a nerve. Your care team "
             "will check it."),
          BRIEF_ROUTINE + " (possible nerve root pain)",
          "Pain spreading into an arm can be nerve root pain; a clinician should review it."),
    _rule("U-R9", "routine", "pain kind `numbness_tingling` (possible nerve root pain)",
          PainKind("numbness_tingling"), "numbness_tingling",
          N_("You said you have numbness or pins and needles. This can come from a nerve. "
             "Your care team will check it."),
          BRIEF_ROUTINE + " (possible nerve root pain)",
          "Numbness or tingling can be nerve root pain; a clinician should review it."),
    _rule("U-R10", "routine", "severity 8 or more", AtLeast("severity", 8), "severity_8_plus",
          N_("You rated your pain 8 or more out of 10. Pain this bad should be looked at by "
             "your care team."),
          BRIEF_ROUTINE + " (clinic policy)",
          "Clinic policy: severe pain (8 or more out of 10) deserves a clinician's look."),
)

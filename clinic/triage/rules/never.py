"""Options the source documents suggest but the clinic never recommends (clinical brief §3),
and the rules about options the patient already tried."""

from typing import Final

from clinic.triage.conditions import Always, HasCondition, TriedThisOption
from clinic.triage.model import N_, Option, Rule

HERBAL: Final = Option(
    "herbal_remedies",
    'Source 002, "Tip # 3 – Herbal remedies"',
    "Evidence for herbal remedies is limited and uneven (Cochrane, Oltean 2014), and remedies "
    "interact with medicines.",
)
VITAMIN_D: Final = Option(
    "vitamin_d",
    'Source 002, "Tip # 3 – Herbal remedies" (vitamin D, sun)',
    "Trials show no consistent benefit for back pain (Cochrane review of vitamin D for "
    "chronic pain).",
)
INVERSION: Final = Option(
    "inversion_table",
    'Source 002, "Tip # 4 – Rest and relaxation" (inversion table)',
    "Traction, including inversion, shows little or no benefit (Cochrane, Wegner 2013; NICE "
    "NG59: do not offer traction); hanging upside down raises blood pressure and eye pressure.",
)
_DO_NOT_INVERT = "Clinical brief §3: inversion raises blood pressure and eye pressure."

NEVER_RULES: Final = (
    # --- herbal remedies ----------------------------------------------------------------------
    HERBAL.rule("against", "herbal_remedies.against.limited_evidence", Always(),
                "limited_evidence",
                N_("There is little good proof that herbal remedies help back pain. Some can "
                   "mix badly with your medicines. Talk to a pharmacist or your clinician "
                   "first.")),
    HERBAL.rule("against", "herbal_remedies.against.blood_thinners",
                HasCondition("blood_thinners"), "blood_thinners",
                N_("You take blood thinners. Some remedies, like willow bark, thin the blood "
                   "too. Do not take them without asking your clinician."),
                evidence="Clinical brief §3: some remedies (willow bark) thin the blood."),
    # --- vitamin D ----------------------------------------------------------------------------
    VITAMIN_D.rule("against", "vitamin_d.against.no_benefit", Always(), "no_benefit",
                   N_("Studies have not shown that vitamin D helps back pain. Ask your "
                      "clinician if you want to take it.")),
    # --- inversion table ----------------------------------------------------------------------
    INVERSION.rule("against", "inversion_table.against.little_benefit", Always(),
                   "little_benefit",
                   N_("Hanging upside down shows little or no benefit for back pain. It also "
                      "raises the pressure in your blood vessels and your eyes.")),
    INVERSION.rule("against", "inversion_table.against.high_blood_pressure",
                   HasCondition("high_blood_pressure"), "high_blood_pressure",
                   N_("You have high blood pressure. Do not use an inversion table."),
                   evidence=_DO_NOT_INVERT),
    INVERSION.rule("against", "inversion_table.against.heart_condition",
                   HasCondition("heart_condition"), "heart_condition",
                   N_("You have a heart condition. Do not use an inversion table."),
                   evidence=_DO_NOT_INVERT),
    INVERSION.rule("against", "inversion_table.against.glaucoma_or_eye_condition",
                   HasCondition("glaucoma_or_eye_condition"), "glaucoma_or_eye_condition",
                   N_("You have glaucoma or another eye problem. Do not use an inversion "
                      "table."),
                   evidence=_DO_NOT_INVERT),
    INVERSION.rule("against", "inversion_table.against.pregnant", HasCondition("pregnant"),
                   "pregnant",
                   N_("You are pregnant. Do not use an inversion table."),
                   evidence="Clinical brief §3: no inversion in pregnancy."),
    INVERSION.rule("against", "inversion_table.against.osteoporosis",
                   HasCondition("osteoporosis"), "osteoporosis",
                   N_("You have thin bones (osteoporosis). Do not use an inversion table."),
                   evidence="Clinical brief §3: no inversion with osteoporosis."),
    INVERSION.rule("against", "inversion_table.against.recent_back_surgery",
                   HasCondition("recent_back_surgery"), "recent_back_surgery",
                   N_("You had back surgery not long ago. Do not use an inversion table."),
                   evidence="Clinical brief §3: no inversion after recent back surgery."),
)

_TRIED_BRIEF = "§3 (after the table): an option the patient already tried"
TRIED_RULES: Final = (
    Rule(id="tried.recommended", kind="tried", brief=_TRIED_BRIEF + " stays in the plan",
         when=TriedThisOption(), code="tried:<option>",
         text=N_("You said you tried this already. Keep going, or ask your clinician about "
                 "the next step."),
         source="Clinical brief §3", evidence="Applies to an option in `recommended`."),
    Rule(id="tried.not_recommended", kind="tried",
         brief=_TRIED_BRIEF + " but is not recommended",
         when=TriedThisOption(), code="tried:<option>",
         text=N_("You said you tried this already. We do not suggest it for you. Talk to your "
                 "clinician before you use it again."),
         source="Clinical brief §3", evidence="Applies to an option in `not_recommended`."),
)

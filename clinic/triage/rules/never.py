"""Options the source documents suggest but the clinic never recommends (clinical brief §3),
and the rules about options the patient already tried."""

from typing import Final

from clinic.triage.compound_conditions import AllOf, Not
from clinic.triage.conditions import Always, HasCondition
from clinic.triage.model import N_, Option, Rule
from clinic.triage.option_conditions import (
    ThisOption,
    ThisOptionIs,
    TriedThisOption,
    WithheldFor,
    WithheldForACondition,
)
from clinic.triage.vocabulary import CONDITIONS

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
                   "mix badly with your medicines. Talk to a pharmacist or your care team "
                   "first.")),
    HERBAL.rule("against", "herbal_remedies.against.blood_thinners",
                HasCondition("blood_thinners"), "blood_thinners",
                N_("You take blood thinners. Some remedies, like willow bark, thin the blood "
                   "too. Do not take them without asking your care team."),
                evidence="Clinical brief §3: some remedies (willow bark) thin the blood."),
    # --- vitamin D ----------------------------------------------------------------------------
    VITAMIN_D.rule("against", "vitamin_d.against.no_benefit", Always(), "no_benefit",
                   N_("Studies have not shown that vitamin D helps back pain. If a doctor told "
                      "you to take vitamin D (for example, for your bones), keep taking it.")),
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
_TRIED_SOURCE = "Clinical brief §3 (v3)"
_TRIED = TriedThisOption()
#: A not-recommended option the patient tried, by the condition that rules it out: "please stop
#: using it: with {condition} it is not safe for you" (brief v3). Contract condition order.
_STOP_WITH: Final = {
    "pregnant": N_("You said you tried this already. Please stop using it. While you are "
                   "pregnant, it is not safe for you."),
    "high_blood_pressure": N_("You said you tried this already. Please stop using it. With high "
                              "blood pressure, it is not safe for you."),
    "heart_condition": N_("You said you tried this already. Please stop using it. With a heart "
                          "condition, it is not safe for you."),
    "glaucoma_or_eye_condition": N_("You said you tried this already. Please stop using it. "
                                    "With glaucoma or another eye problem, it is not safe for "
                                    "you."),
    "osteoporosis": N_("You said you tried this already. Please stop using it. With thin bones "
                       "(osteoporosis), it is not safe for you."),
    "long_term_steroids": N_("You said you tried this already. Please stop using it. While you "
                             "take steroid pills for a long time, it is not safe for you."),
    "diabetes_or_poor_sensation": N_("You said you tried this already. Please stop using it. "
                                     "With diabetes or poor feeling in your skin, it is not "
                                     "safe for you."),
    "blood_thinners": N_("You said you tried this already. Please stop using it. While you take "
                         "blood thinners, it is not safe for you."),
    "skin_problem_at_pain_site": N_("You said you tried this already. Please stop using it. "
                                    "With a skin problem where it hurts, it is not safe for "
                                    "you."),
    "recent_back_surgery": N_("You said you tried this already. Please stop using it. So soon "
                              "after back surgery, it is not safe for you."),
}
if tuple(_STOP_WITH) != CONDITIONS:
    raise ValueError("every condition needs its tried-and-not-recommended text")
#: Applied in this order; the first that holds is the option's one tried reason.
TRIED_RULES: Final = (
    Rule(id="tried.recommended", kind="tried", brief=_TRIED_BRIEF + " stays in the plan",
         when=AllOf(_TRIED, ThisOptionIs("recommended")), code="tried:<option>",
         text=N_("You said you tried this already. If it helps, keep going. If not, ask your "
                 "care team about the next step."),
         source=_TRIED_SOURCE, evidence="Applies to an option in `recommended`."),
    Rule(id="tried.not_recommended.vitamin_d", kind="tried",
         brief=_TRIED_BRIEF + ": vitamin D is never told to stop",
         when=AllOf(_TRIED, ThisOption("vitamin_d")), code="tried:<option>",
         text=N_("You said you tried this already. If a doctor told you to take it, keep taking "
                 "it. If not, ask your care team whether you need it."),
         source=_TRIED_SOURCE,
         evidence="Clinical brief v3, change 6: never tell a patient to stop vitamin D."),
    *(
        Rule(id=f"tried.not_recommended.{condition}", kind="tried",
             brief=_TRIED_BRIEF + " but is not recommended, with a named condition",
             when=AllOf(_TRIED, WithheldFor(condition)), code="tried:<option>", text=text,
             source=_TRIED_SOURCE,
             evidence=f"Applies to an option in `not_recommended` because of `{condition}`.")
        for condition, text in _STOP_WITH.items()
    ),
    Rule(id="tried.not_recommended", kind="tried",
         brief=_TRIED_BRIEF + " but is not recommended, with no named condition",
         when=AllOf(_TRIED, ThisOptionIs("not_recommended"), Not(ThisOption("vitamin_d")),
                    Not(WithheldForACondition())),
         code="tried:<option>",
         text=N_("You said you tried this already. We suggest you stop. It is unlikely to help "
                 "your back."),
         source=_TRIED_SOURCE, evidence="Applies to an option in `not_recommended`."),
)

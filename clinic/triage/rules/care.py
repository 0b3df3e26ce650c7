"""Rules for the self-care options that can be recommended (clinical brief §3)."""

from typing import Final

from clinic.triage.compound_conditions import AllOf, AnyOf, Not
from clinic.triage.conditions import (
    Always,
    DurationClass,
    HasCondition,
    Onset,
    PainArea,
    PainKind,
    Yes,
)
from clinic.triage.model import N_, Option
from clinic.triage.option_conditions import OnHold, Planned

HEAT: Final = Option(
    "heat",
    'Source 000, "Heat Therapy Can Assist With Back Muscle Pains And Spasms"',
    "ACP 2017: heat for acute or subacute pain, strong recommendation, moderate-quality "
    "evidence; Cochrane (French 2006): small short-term benefit.",
)
CHIROPRACTIC: Final = Option(
    "chiropractic_referral",
    'Source 000, "Chiropractic Care May Address Alignment Issues That Are Contributing To '
    'Your Pain"; Source 002, "Tip # 2 – Chiropractic work"',
    "ACP 2017: spinal manipulation, strong recommendation, low-quality evidence; NICE NG59: "
    "manual therapy only together with exercise.",
)
STRENGTHENING: Final = Option(
    "guided_strengthening",
    'Source 000, "Strengthening Your Back Can Improve Many Common Sources Of Pain"',
    "ACP 2017: exercise for chronic pain, strong recommendation, moderate-quality evidence; "
    "NICE NG59: group exercise programmes. The source itself says: under a doctor's guidance.",
)
EXERCISE: Final = Option(
    "daily_exercise",
    'Source 002, "Tip # 1 – Daily Exercise"',
    "ACP 2017: exercise and yoga for chronic pain, strong recommendation; for new pain, "
    "staying active beats bed rest (Cochrane, Dahm 2010).",
)
MASSAGE: Final = Option(
    "massage",
    'Source 002, "Tip # 2 – Chiropractic work" (massage therapy)',
    "ACP 2017: massage for acute or subacute pain, strong recommendation, low-quality "
    "evidence; NICE NG59: only alongside exercise.",
)
ACUPUNCTURE: Final = Option(
    "acupuncture",
    'Source 002, "Tip # 2 – Chiropractic work" (acupuncture)',
    "Guidelines disagree: ACP 2017 recommends acupuncture (strong recommendation, "
    "low-to-moderate-quality evidence); NICE NG59 says do not offer it.",
)
REST: Final = Option(
    "rest_and_pacing",
    'Source 002, "Tip # 4 – Rest and relaxation"',
    "Bed rest is worse than staying active (Cochrane, Dahm 2010); relaxation techniques for "
    "chronic pain (ACP 2017, strong recommendation, low-quality evidence).",
)

_NEW_PAIN = DurationClass("acute", "subacute")
_CHRONIC = DurationClass("chronic")
_ACTIVITY_ONSET = Onset("lifting", "strenuous_activity", "twist_or_sprain")
_MANUAL_WITHOUT_EXERCISE = AllOf(
    Planned("chiropractic_referral"), Not(Planned("daily_exercise")),
    Not(Planned("guided_strengthening")),
)
_FRAGILE_BONES = AnyOf(HasCondition("osteoporosis"), HasCondition("long_term_steroids"))
_FRAGILE_BONES_EVIDENCE = (
    "Clinical brief §4 (v3, change 5): with fragile bones, no sit-ups, toe touching or lifting "
    "while bent forward; walking and the pelvic tilt are safe to start."
)
_WHY_NOT_HEAT = "Clinical brief §3: burn risk where heat cannot be felt."
_WHY_NOT_MANIPULATION = (
    "Clinical brief §3: no spinal manipulation with osteoporosis, long-term steroids or "
    "recent back surgery."
)

CARE_RULES: Final = (
    # --- heat ---------------------------------------------------------------------------------
    HEAT.rule("recommend", "heat.recommend.spasm", PainKind("spasm"), "spasm",
              N_("You said your back muscles cramp or knot. Heat may help tight muscles relax.")),
    HEAT.rule("recommend", "heat.recommend.ache_new", AllOf(PainKind("ache"), _NEW_PAIN),
              "ache+new_pain",
              N_("You said you have a dull ache that started in the last 3 months. Heat can "
                 "ease this kind of pain.")),
    HEAT.rule("withhold", "heat.withhold.diabetes_or_poor_sensation",
              HasCondition("diabetes_or_poor_sensation"), "diabetes_or_poor_sensation",
              N_("You said you have diabetes or poor feeling in your skin. Heat can burn skin "
                 "that cannot feel it well, so do not use heat."),
              evidence=_WHY_NOT_HEAT),
    HEAT.rule("withhold", "heat.withhold.skin_problem_at_pain_site",
              HasCondition("skin_problem_at_pain_site"), "skin_problem_at_pain_site",
              N_("You said you have a skin problem where it hurts. Heat can harm that skin, so "
                 "do not use heat there."),
              evidence=_WHY_NOT_HEAT),
    HEAT.rule("caution", "heat.caution.pregnant", HasCondition("pregnant"), "pregnant",
              N_("You are pregnant. Check with your care team before you use heat.")),
    # --- chiropractic referral ----------------------------------------------------------------
    CHIROPRACTIC.rule("recommend", "chiropractic_referral.recommend.stiffness",
                      PainKind("stiffness"), "stiffness",
                      N_("You said your back feels stiff. Hands-on treatment from a chiropractor "
                         "may help it move better.")),
    CHIROPRACTIC.rule("recommend", "chiropractic_referral.recommend.spasm_beyond_acute",
                      AllOf(PainKind("spasm"), Not(DurationClass("acute"))),
                      "spasm+beyond_acute",
                      N_("Your muscle spasms have lasted more than 4 weeks. Hands-on treatment "
                         "from a chiropractor may help."),
                      strength="optional"),
    CHIROPRACTIC.rule("withhold", "chiropractic_referral.withhold.osteoporosis",
                      HasCondition("osteoporosis"), "osteoporosis",
                      N_("You said you have thin bones (osteoporosis). Pressing hard on the "
                         "spine could break a bone, so this is not advised."),
                      evidence=_WHY_NOT_MANIPULATION),
    CHIROPRACTIC.rule("withhold", "chiropractic_referral.withhold.long_term_steroids",
                      HasCondition("long_term_steroids"), "long_term_steroids",
                      N_("You said you take steroid pills for a long time. Steroids can make bones "
                         "weak, so hands-on spine treatment is not advised."),
                      evidence=_WHY_NOT_MANIPULATION),
    CHIROPRACTIC.rule("withhold", "chiropractic_referral.withhold.recent_back_surgery",
                      HasCondition("recent_back_surgery"), "recent_back_surgery",
                      N_("You said you had back surgery not long ago. Hands-on spine treatment "
                         "is not advised until your surgeon says it is safe."),
                      evidence=_WHY_NOT_MANIPULATION),
    CHIROPRACTIC.rule("withhold", "chiropractic_referral.withhold.exercise_on_hold",
                      AllOf(_MANUAL_WITHOUT_EXERCISE, OnHold("daily_exercise")),
                      "exercise_on_hold",
                      N_("Hands-on treatment works best together with exercise. Exercise is on "
                         "hold for you right now, so ask your care team first."),
                      brief="§3 `chiropractic_referral`: evidence line (manual therapy only "
                      "together with exercise)",
                      evidence="NICE NG59: manual therapy only together with exercise.",
                      stage=2),
    CHIROPRACTIC.rule("caution", "chiropractic_referral.caution.blood_thinners",
                      HasCondition("blood_thinners"), "blood_thinners",
                      N_("You take blood thinners. Tell the chiropractor, because firm pressure "
                         "can cause bruising or bleeding.")),
    CHIROPRACTIC.rule("caution", "chiropractic_referral.caution.pregnant",
                      HasCondition("pregnant"), "pregnant",
                      N_("You are pregnant. Check with your care team first, and tell the "
                         "chiropractor.")),
    CHIROPRACTIC.rule("caution", "chiropractic_referral.caution.neck", PainArea("neck"),
                      "pain_area:neck",
                      N_("Your pain is in your neck. Tell us if pain spreads down an arm, or an "
                         "arm or hand feels numb or weak. After a neck treatment, watch for "
                         "sudden dizziness, a bad headache, double vision, or trouble speaking "
                         "or swallowing. If you get any of these, get emergency help right "
                         "away."),
                      evidence="Clinical brief §3 (`chiropractic_referral` caution) and §4: the "
                      "neck-treatment warning."),
    # --- guided strengthening -----------------------------------------------------------------
    STRENGTHENING.rule("recommend", "guided_strengthening.recommend.chronic", _CHRONIC,
                       "duration:chronic",
                       N_("Your pain has lasted more than 3 months. Making your back muscles "
                          "stronger may ease the pain. Do it with help from your care team or a "
                          "physical therapist.")),
    STRENGTHENING.rule("recommend", "guided_strengthening.recommend.leaning",
                       Yes("leaning_or_compensating"), "leaning_or_compensating",
                       N_("You said you lean to one side or move differently to protect your "
                          "back. This can make some muscles weak. Guided exercises can make "
                          "them strong again.")),
    STRENGTHENING.rule("caution", "guided_strengthening.caution.recent_back_surgery",
                       HasCondition("recent_back_surgery"), "recent_back_surgery",
                       N_("You had back surgery not long ago. Start only when your surgeon or "
                          "care team says it is OK.")),
    STRENGTHENING.rule("caution", "guided_strengthening.caution.fragile_bones", _FRAGILE_BONES,
                       "fragile_bones",
                       N_("Take care: your bones may be thin. Avoid sit-ups, touching your "
                          "toes, and lifting while bent forward. A physical therapist can show "
                          "you exercises that are safe for you."),
                       evidence=_FRAGILE_BONES_EVIDENCE),
    # --- daily exercise -----------------------------------------------------------------------
    EXERCISE.rule("recommend", "daily_exercise.recommend.activity_onset", _ACTIVITY_ONSET,
                  "onset:activity",
                  N_("Your pain started with lifting, hard activity or a twist. Gentle movement "
                     "every day may help your back get better.")),
    EXERCISE.rule("recommend", "daily_exercise.recommend.spasm", PainKind("spasm"), "spasm",
                  N_("You said your back muscles cramp or knot. Gentle daily movement may help "
                     "keep them loose. Only stretch until it feels comfortable, never until it "
                     "hurts.")),
    EXERCISE.rule("recommend", "daily_exercise.recommend.chronic", _CHRONIC, "duration:chronic",
                  N_("Your pain has lasted more than 3 months. Moving every day, such as walking "
                     "or yoga, can ease long-lasting back pain.")),
    EXERCISE.rule("recommend", "daily_exercise.recommend.with_manual_therapy",
                  AllOf(_MANUAL_WITHOUT_EXERCISE, Not(OnHold("daily_exercise"))),
                  "with:chiropractic_referral",
                  N_("Hands-on treatment works best when you also move every day. So gentle "
                     "daily exercise is part of your plan too."),
                  brief="§3 `chiropractic_referral`: evidence line (add `daily_exercise`)",
                  evidence="NICE NG59: manual therapy only together with exercise.",
                  stage=2),
    EXERCISE.rule("caution", "daily_exercise.caution.pregnant", HasCondition("pregnant"),
                  "pregnant",
                  N_("You are pregnant. Choose classes made for pregnancy.")),
    EXERCISE.rule("caution", "daily_exercise.caution.recent_back_surgery",
                  HasCondition("recent_back_surgery"), "recent_back_surgery",
                  N_("You had back surgery not long ago. Keep walking as your surgeon advised. "
                     "Ask your surgeon or care team before you start new exercises or "
                     "stretches."),
                  evidence="Clinical brief §3 (v3, change 4): surgeons want patients walking; "
                  "no new exercises or stretches without asking."),
    EXERCISE.rule("caution", "daily_exercise.caution.fragile_bones", _FRAGILE_BONES,
                  "fragile_bones",
                  N_("Take care: your bones may be thin. Avoid sit-ups, touching your toes, and "
                     "lifting while bent forward. Walking and the pelvic tilt are safe to "
                     "start."),
                  evidence=_FRAGILE_BONES_EVIDENCE),
    # --- massage ------------------------------------------------------------------------------
    MASSAGE.rule("recommend", "massage.recommend.spasm_new", AllOf(PainKind("spasm"), _NEW_PAIN),
                 "spasm+new_pain",
                 N_("You said your back muscles cramp or knot, and it started in the last 3 "
                    "months. Massage may help the muscles relax."),
                 strength="optional"),
    MASSAGE.rule("withhold", "massage.withhold.skin_problem_at_pain_site",
                 HasCondition("skin_problem_at_pain_site"), "skin_problem_at_pain_site",
                 N_("You said you have a skin problem where it hurts. Massage could make your "
                    "skin worse."),
                 evidence="Clinical brief §3: no massage over a skin problem."),
    MASSAGE.rule("caution", "massage.caution.blood_thinners", HasCondition("blood_thinners"),
                 "blood_thinners",
                 N_("You take blood thinners. Ask for gentle massage, because firm pressure can "
                    "cause bruises.")),
    # --- acupuncture --------------------------------------------------------------------------
    ACUPUNCTURE.rule("recommend", "acupuncture.recommend.chronic", _CHRONIC, "duration:chronic",
                     N_("Your pain has lasted more than 3 months. Some people with long-lasting "
                        "back pain find that acupuncture helps."),
                     strength="optional"),
    ACUPUNCTURE.rule("caution", "acupuncture.caution.guidelines_disagree", Always(),
                     "guidelines_disagree",
                     N_("Experts do not agree about acupuncture. One major guide supports it. "
                        "Another says not to offer it. Talk it over with your care team."),
                     brief="§3 `acupuncture`: evidence line (guidelines disagree; say so to "
                     "the patient)"),
    ACUPUNCTURE.rule("caution", "acupuncture.caution.blood_thinners",
                     HasCondition("blood_thinners"), "blood_thinners",
                     N_("You take blood thinners. Needles can cause bleeding or bruises, so "
                        "tell the acupuncturist.")),
    # --- rest and pacing ----------------------------------------------------------------------
    REST.rule("recommend", "rest_and_pacing.recommend.activity_onset_acute",
              AllOf(_ACTIVITY_ONSET, DurationClass("acute")), "onset:activity+acute",
              N_("Your pain started with lifting, hard activity or a twist in the last 4 weeks. "
                 "Take short rests and do not overdo lifting. Do not stay in bed.")),
    REST.rule("recommend", "rest_and_pacing.recommend.chronic", _CHRONIC, "duration:chronic",
              N_("Your pain has lasted more than 3 months. Ways to relax, and pacing what you "
                 "do, can help you cope. Do not stay in bed.")),
)

"""What a change in an outcome score means: the one clinical judgement about the PEG.

IMMPACT (Dworkin et al., J Pain 2008) calls a reduction of 30% or more in a pain intensity or
interference score a moderately important, clinically meaningful improvement. The PEG is not
a triage input: nothing here changes an urgency or a plan; it only says whether a change since
the first visit is one staff should read as meaningful.
"""

from typing import Final

#: The fraction of the first score a later score must have fallen by to count as meaningful.
MEANINGFUL_DROP: Final = 0.30


def meaningful_improvement(first: float, latest: float) -> bool:
    """A fall of 30% or more from the first score (a first score of 0 cannot fall)."""
    return first > 0 and (first - latest) >= MEANINGFUL_DROP * first - 1e-9

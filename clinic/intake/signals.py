"""What the intake announces, for the features that care (blinker, shipped with Flask).

The sender is the Flask app; each signal is sent after its transaction has committed, so a
receiver always finds the row. Receivers subscribe in their own init_app (the handout draws a
stored intake's handout in the background), so the intake knows none of them.
"""

from blinker import Namespace

_signals = Namespace()

#: An intake was stored, raised or completed: kwargs intake_id, language, large_print.
intake_stored = _signals.signal("intake-stored")
#: An intake's handout was recorded as printed: kwargs intake_id, staff_id.
intake_printed = _signals.signal("intake-printed")

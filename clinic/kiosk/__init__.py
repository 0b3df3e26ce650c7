"""Patient-facing kiosk: a step-by-step intake kept in a server-side draft. Its view modules
attach their routes to the blueprint `bp` on import; app.py registers it."""

from clinic.kiosk import danger, result, views  # noqa: F401
from clinic.kiosk.blueprint import bp

__all__ = ["bp"]

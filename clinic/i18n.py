"""Languages: which ones the clinic offers (config LANGUAGES), their names, and N_.

N_ marks a string for extraction without translating it; the triage engine owns it (it must
stay free of web code) and every feature imports it from here.
"""

from flask import current_app

from clinic.triage import N_

# Each language named in itself (never translated), for the welcome screen and staff forms.
LANGUAGE_NAMES = {"en": "English", "es": "Español"}

__all__ = ["LANGUAGE_NAMES", "N_", "languages"]


def languages() -> tuple[str, ...]:
    """The languages this clinic offers, in the configured order (config LANGUAGES)."""
    return tuple(code for code in current_app.config["LANGUAGES"] if code in LANGUAGE_NAMES)

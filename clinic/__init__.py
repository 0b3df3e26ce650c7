"""clinic-intake: back-pain kiosk intake, triage and handouts."""

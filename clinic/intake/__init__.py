"""What the kiosk, staff, records and handout share about an intake: plain-word labels for
answer codes (labels), storing one (submit), kiosk drafts (drafts), what happens to it next
(workflow), its FHIR form (fhir) and the `flask triage` command (commands)."""

"""Outcomes: did the plan help? Measures taken at each visit (the PEG), returning patients
matched to their earlier visits, the trend staff read, and the clinic's dashboard.

measures: the instruments (the PEG) and their scoring; patients: returning patients (match,
split, join); history: one patient's scores over their visits; charts: server-drawn SVG;
dashboard: the clinic's figures, aggregated in SQL. Nothing here is a triage input.
"""

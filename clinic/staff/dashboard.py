"""The clinic's dashboard (issue 26, part 6), for clinicians and admins: intakes per day by
urgency, waits for acknowledgement, handouts printed, the PEG's change at return visits. Each
figure is a server-drawn SVG with its numbers in a table; the figures come from
clinic.outcomes.dashboard (aggregated in SQL). Viewing it is audited: it lists intakes."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import render_template, request, url_for
from markupsafe import Markup

from clinic import clock, triage
from clinic.audit.chain import audit_read
from clinic.intake.workflow import CLINICAL_ROLES
from clinic.outcomes import dashboard
from clinic.outcomes.charts import bar_chart, stacked_bars
from clinic.staff.blueprint import bp, not_from_other_sites, role_required
from clinic.staff.forms import DashboardForm

DEFAULT_DAYS = 30


@dataclass(frozen=True)
class DashboardPage:
    first: date
    last: date
    figures: dashboard.Figures
    urgencies: tuple[str, ...]
    urgency_labels: dict[str, str]
    day_labels: dict[date, str]
    per_day_chart: Markup
    waits_chart: Markup
    printed_chart: Markup
    peg_chart: Markup
    peg_labels: dict[str, str]
    slow_urls: dict[int, str]


def dashboard_page(first: date, last: date) -> DashboardPage:
    figures = dashboard.figures(first, last)
    labels = {day: clock.show_date(day, "medium") for day in figures.days}
    short = {day: f"{day:%m-%d}" for day in figures.days}
    urgencies = tuple(reversed(triage.URGENCIES))  # self-care at the bottom of each bar
    return DashboardPage(
        first=first, last=last, figures=figures, urgencies=tuple(triage.URGENCIES),
        urgency_labels=dict(triage.URGENCY_LABELS), day_labels=labels,
        per_day_chart=stacked_bars(
            "Intakes per day by urgency", "chart-intakes",
            [(short[day], figures.per_day.get(day, {})) for day in figures.days], urgencies,
            dict(triage.URGENCY_LABELS)),
        waits_chart=bar_chart(
            "Minutes waited for acknowledgement: median and 90th percentile", "chart-waits",
            [(f"{w.urgency} {name}", value or 0) for w in figures.waits
             for name, value in (("median", w.median_min), ("p90", w.p90_min))]),
        printed_chart=bar_chart("Handouts printed per day", "chart-printed",
                                [(short[day], figures.printed.get(day, 0))
                                 for day in figures.days]),
        peg_chart=bar_chart("Return visits by change in PEG since the first visit", "chart-peg",
                            [(name, figures.peg[name]) for name in dashboard.PEG_CHANGES]),
        peg_labels=dashboard.PEG_CHANGE_LABELS,
        slow_urls={slow.intake_id: url_for("staff.detail", intake_id=slow.intake_id)
                   for slow in figures.slow},
    )


@bp.route("/dashboard")
@not_from_other_sites
@role_required(*CLINICAL_ROLES)
def dashboard_view() -> str:
    form = DashboardForm(request.args)
    today = clock.local_today()
    context: dict[str, Any] = {"form": form, "today": today, "page": None}
    if not request.args:
        form.start.data, form.end.data = today - timedelta(days=DEFAULT_DAYS - 1), today
    elif not form.validate():
        return render_template("staff/dashboard.html", **context)
    first, last = form.start.data, form.end.data
    assert first is not None and last is not None  # noqa: S101 - set above or validated
    # Rendered before audit_read, whose commit would expire what the page reads.
    html = render_template("staff/dashboard.html", **{**context,
                                                       "page": dashboard_page(first, last)})
    audit_read("dashboard.view", f"days:{first.isoformat()}..{last.isoformat()}")
    return html

"""Hostile patient data cannot fetch, embed or leak anything."""

from __future__ import annotations

import io
import os

import pytest
from pypdf import PdfReader

from tests.handout.handout_helpers import make_request, pdftotext, typical_assessment

HOSTILE = [
    "<img src=file:///etc/passwd>",
    "<link rel=attachment href=file:///etc/passwd>",
    "@import url(http://127.0.0.1:9/x.css)",
    "url(http://127.0.0.1:9/)",
    '<svg><image href="file:///etc/passwd"/></svg>',
    "../../etc/passwd",
    '"><style>@import "http://127.0.0.1:9/y.css";</style>',
    "{{ 7 * 7 }} %s %(x)s",
]
HOSTILE_TEXT = " ".join(HOSTILE)


def hostile_request():
    assessment = typical_assessment()
    for item in assessment["urgency_reasons"] + assessment["not_recommended"]:
        for reason in item.get("reasons", [item]):
            reason["text"] = HOSTILE_TEXT
    for item in assessment["recommended"]:
        item["source"] = item["evidence"] = HOSTILE_TEXT
        for reason in item["reasons"] + item["cautions"]:
            reason["text"] = HOSTILE_TEXT
    return make_request(patient_name=HOSTILE_TEXT, reference=HOSTILE_TEXT, assessment=assessment)


@pytest.fixture(scope="module")
def fetcher_class():
    from clinic.handout.pdf import StaticFetcher

    class RecordingFetcher(StaticFetcher):
        def __init__(self, static_folder):
            super().__init__(static_folder)
            self.urls: list[str] = []
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            self.urls.append(url)
            try:
                return super().fetch(url, headers)
            except Exception:
                self.refused.append(url)
                raise

    return RecordingFetcher


@pytest.fixture(scope="module")
def hostile_render(handout_app, fetcher_class):
    from clinic.handout import build_html
    from clinic.handout.pdf import html_to_pdf

    with handout_app.app_context():
        html = build_html(hostile_request())
    fetcher = fetcher_class(handout_app.static_folder)
    return html, html_to_pdf(html, handout_app.static_folder, fetcher=fetcher), fetcher


def test_only_allowlisted_static_files_were_requested(hostile_render, handout_app):
    _, _, fetcher = hostile_render
    static = os.path.realpath(handout_app.static_folder)
    assert fetcher.urls, "the stylesheet's fonts should have been fetched"
    assert fetcher.refused == []
    for url in fetcher.urls:
        assert url.startswith("file://" + static + "/"), url
        assert url.endswith((".ttf", ".css")) or (
            url.startswith(f"file://{static}/img/handout/") and url.endswith(".svg")), url


def test_hostile_text_is_printed_as_text(hostile_render):
    html, pdf, _ = hostile_render
    assert "<img src=file" not in html and "&lt;img src=file:///etc/passwd&gt;" in html
    text = pdftotext(pdf)
    assert "root:x:0:0" not in text
    assert "<img src=file:///etc/passwd>" in text  # shown literally, not interpreted
    assert "{{ 7 * 7 }} %s %(x)s" in text


def test_no_embedded_files_or_annotations(hostile_render):
    _, pdf, _ = hostile_render
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert "/EmbeddedFiles" not in root.get("/Names", {})
    assert not reader.attachments
    for page in reader.pages:
        for annot in page.get("/Annots", []) or []:
            assert annot.get_object().get("/Subtype") != "/FileAttachment"


def test_patient_data_never_in_attributes(hostile_render):
    html, _, _ = hostile_render
    import re

    for attribute in re.findall(r'(?:style|href|src)="([^"]*)"', html):
        assert "passwd" not in attribute and "127.0.0.1" not in attribute


def test_fetcher_refuses_everything_outside_the_allowlist(tmp_path):
    from clinic.handout.pdf import FetchRefused, StaticFetcher

    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    (static / "css" / "handout.css").write_text("body{}")
    (static / "css" / "notes.txt").write_text("x")
    outside = tmp_path / "secret.css"
    outside.write_text("body{}")
    (static / "css" / "link.css").symlink_to(outside)  # inside static, pointing out of it
    fetcher = StaticFetcher(str(static))
    assert fetcher.fetch(f"file://{static}/css/handout.css").content_type == "text/css"
    refused = [
        "file:///etc/passwd", f"file://{static}/../secret.css",
        f"file://{static}/css/../../secret.css", f"file://{outside}",
        f"file://{static}/css/link.css", f"file://{static}/css/notes.txt",
        "http://127.0.0.1:9/x.css", "https://example.org/a.png", "ftp://x/y.ttf",
        "data:text/css,body{}", f"file://evil.example{static}/css/handout.css",
        f"file://{static}/css/missing.css", "../../etc/passwd",
    ]
    for url in refused:
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)


def test_fetcher_blocks_raw_html_injection(handout_app, fetcher_class):
    # Defence in depth: even if a template bug let markup through, nothing is fetched.
    from clinic.handout.pdf import html_to_pdf

    html = ('<html lang="en"><head><title>t</title>'
            '<link rel="attachment" href="file:///etc/passwd">'
            '<link rel="stylesheet" href="http://127.0.0.1:9/x.css"></head><body>'
            '<img src="file:///etc/passwd"><img src="../../etc/passwd">'
            '<svg><image href="file:///etc/passwd"/></svg><p>hello</p></body></html>')
    fetcher = fetcher_class(handout_app.static_folder)
    pdf = html_to_pdf(html, handout_app.static_folder, fetcher=fetcher)
    assert fetcher.refused  # they were asked for, and every one was refused
    assert all("passwd" in u or "127.0.0.1" in u for u in fetcher.refused)
    reader = PdfReader(io.BytesIO(pdf))
    assert not reader.attachments
    assert "root:x:0:0" not in pdftotext(pdf)

"""HTML string + static folder -> PDF bytes. The only module that imports weasyprint.

Import it lazily (from the worker or inside a function): it costs about 0.7 s. One
FontConfiguration and one pre-parsed stylesheet per static folder are kept per process, which
is faster and stops the memory growth of a new FontConfiguration per render. WeasyPrint is used
through its public API only (HTML, CSS, FontConfiguration, URLFetcher), so its security
releases can be taken as they come.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, DEFAULT_OPTIONS, HTML, Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

ALLOWED_EXTENSIONS = (".css", ".ttf", ".otf", ".woff", ".woff2", ".png", ".jpg", ".svg")
CONTENT_TYPES = {
    ".css": "text/css", ".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff",
    ".woff2": "font/woff2", ".png": "image/png", ".jpg": "image/jpeg", ".svg": "image/svg+xml",
}
STYLESHEET = os.path.join("css", "handout.css")
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}
# The last page of a sheet of several pages holds at least a third of a page (brief v3 §4.3).
# The template ends with an empty element of this id; its place on the last page is read from
# the laid-out document (Page.anchors). Aim a little higher than a third: this is a measure of
# the last element's top, not of the ink.
END_ID = "end-of-sheet"
FILL_MIN = 0.38
# Layout variants tried, in order, when the last page is nearly empty: "fit" tightens the
# spacing (the sheet may lose its last page), "spread-1" and "spread-2" start a later part on
# a new page (more on the last page), and last "net-breaks" lets the "When to get help" box
# break between its tiers. Classes on <html>, styled in handout.css.
LAYOUT_VARIANTS = ("fit", "spread-1", "spread-2", "fit spread-2", "fit net-breaks")
HTML_CLASS = 'class="paper-'
ONE_PAGE = 'class="sheet-now"'  # the <body> of an emergency or urgent sheet
MM = 96 / 25.4  # CSS px per mm
PAGE_LIMITS = {False: 3, True: 5}  # a plan sheet's pages: standard, large print
# Page margins (handout.css): top and bottom, in mm, standard and large print.
MARGINS_MM = {False: (10, 14), True: (9, 20)}


class FetchRefused(ValueError):
    """A resource outside the handout's allowlist was requested."""


class StaticFetcher(URLFetcher):
    """Serve only allowed files under one static folder, from disk; refuse everything else."""

    def __init__(self, static_folder: str) -> None:
        # No network handlers matter: fetch() below never calls urllib.
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self.root = os.path.realpath(static_folder)

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        path = self.resolve(url)
        with open(path, "rb") as handle:
            body = handle.read()
        ext = os.path.splitext(path)[1].lower()
        return URLFetcherResponse(Path(path).as_uri(), body, {"Content-Type": CONTENT_TYPES[ext]})

    def resolve(self, url: str) -> str:
        """The real path an allowed URL names; raise FetchRefused otherwise."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise FetchRefused("only file URLs under the static folder are served")
        path = os.path.realpath(unquote(parts.path))
        if os.path.commonpath([path, self.root]) != self.root:
            raise FetchRefused("path is outside the static folder")
        if not path.lower().endswith(ALLOWED_EXTENSIONS):
            raise FetchRefused("file type is not allowed")
        if not os.path.isfile(path):
            raise FetchRefused("no such file")
        return path


_font_config: FontConfiguration | None = None
_stylesheets: dict[str, tuple[StaticFetcher, CSS]] = {}


def _prepared(static_folder: str) -> tuple[StaticFetcher, CSS]:
    global _font_config
    root = os.path.realpath(static_folder)
    if root not in _stylesheets:
        if _font_config is None:
            _font_config = FontConfiguration()
        fetcher = StaticFetcher(root)
        css = CSS(filename=os.path.join(root, STYLESHEET), url_fetcher=fetcher,
                  font_config=_font_config)
        _stylesheets[root] = (fetcher, css)
    return _stylesheets[root]


def html_to_pdf(html: str, static_folder: str, fetcher: StaticFetcher | None = None) -> bytes:
    """Render handout HTML to tagged PDF/UA-1 bytes; relative URLs resolve in static_folder.

    Passing a fetcher (tests) builds a fresh stylesheet and font configuration with it.
    """
    root = os.path.realpath(static_folder)
    if fetcher is None:
        fetcher, css = _prepared(root)
        font_config = _font_config
    else:
        font_config = FontConfiguration()
        css = CSS(filename=os.path.join(root, STYLESHEET), url_fetcher=fetcher,
                  font_config=font_config)
    base_url = Path(root).as_uri() + "/"
    options = {**DEFAULT_OPTIONS, "stylesheets": [css], **PDF_OPTIONS}

    def render(source: str) -> Document:
        return HTML(string=source, base_url=base_url, url_fetcher=fetcher).render(
            font_config, **options)

    document = render(html)
    if ONE_PAGE in html and len(document.pages) > 1 and HTML_CLASS in html:
        # An emergency or urgent sheet is one page: try the tighter layout.
        candidate = render(html.replace(HTML_CLASS, 'class="fit paper-', 1))
        if len(candidate.pages) < len(document.pages):
            document = candidate
    tag = re.search(r"<html[^>]*>", html)
    large = tag is not None and "large-print" in tag.group(0)
    fill = last_page_fill(document, large)
    too_long = len(document.pages) > PAGE_LIMITS[large]
    if (fill is not None and (fill < FILL_MIN or too_long) and HTML_CLASS in html
            and ONE_PAGE not in html):
        best = (len(document.pages), -fill, document)
        for variant in LAYOUT_VARIANTS:
            candidate = render(html.replace(HTML_CLASS, f'class="{variant} paper-', 1))
            pages = len(candidate.pages)
            if pages > len(document.pages):
                continue
            candidate_fill = last_page_fill(candidate, large)
            score = (pages, -(1.0 if candidate_fill is None else candidate_fill), candidate)
            if score[:2] < best[:2]:
                best = score
            if pages <= PAGE_LIMITS[large] and (candidate_fill is None
                                                or candidate_fill >= FILL_MIN):
                break
        document = best[2]
    options = {key: options[key] for key in DEFAULT_OPTIONS}
    pdf: bytes | None = document.write_pdf(**options)
    if pdf is None:  # write_pdf returns bytes when no target is given
        raise RuntimeError("weasyprint returned no PDF")
    return pdf


def last_page_fill(document: Document, large: bool) -> float | None:
    """How far down the last page's text area the sheet ends (0 to 1); None for one page."""
    if len(document.pages) < 2:
        return None
    page = document.pages[-1]
    where = page.anchors.get(END_ID)
    if where is None:
        return None
    top, bottom = (value * MM for value in MARGINS_MM[large])
    return max(0.0, (float(where[1]) - top) / (float(page.height) - top - bottom))


def release() -> None:
    """Drop the process's font configuration explicitly (see WeasyPrint issue #2843)."""
    global _font_config
    _stylesheets.clear()
    _font_config = None

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
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML
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
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    pdf: bytes | None = document.write_pdf(stylesheets=[css], font_config=font_config,
                                           **PDF_OPTIONS)
    if pdf is None:  # write_pdf returns bytes when no target is given
        raise RuntimeError("weasyprint returned no PDF")
    return pdf


def release() -> None:
    """Drop the process's font configuration explicitly (see WeasyPrint issue #2843)."""
    global _font_config
    _stylesheets.clear()
    _font_config = None

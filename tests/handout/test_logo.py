"""The optional clinic logo: drawn only when CLINIC_LOGO names a real file under static/img/."""

from __future__ import annotations

import io
import shutil

import pytest
from PIL import Image
from pypdf import PdfReader

from tests.handout.handout_helpers import make_request


@pytest.fixture(scope="module")
def logo_app(handout_app, tmp_path_factory):
    static = tmp_path_factory.mktemp("static")
    for folder in ("css", "fonts"):
        shutil.copytree(f"{handout_app.static_folder}/{folder}", static / folder)
    (static / "img").mkdir()
    Image.new("RGB", (120, 40), (0, 90, 160)).save(static / "img" / "logo.png")
    (static.parent / "outside.png").write_bytes((static / "img" / "logo.png").read_bytes())
    saved = handout_app.static_folder
    handout_app.static_folder = str(static)
    yield handout_app
    handout_app.static_folder = saved
    handout_app.config["CLINIC_LOGO"] = None  # the default


@pytest.mark.parametrize("logo, drawn", [
    ("logo.png", True), (None, False), ("missing.png", False), ("../outside.png", False),
    ("logo.gif", False),
])
def test_logo_only_when_present(logo_app, logo, drawn):
    from clinic.handout import build_context, render_handout

    logo_app.config["CLINIC_LOGO"] = logo
    with logo_app.app_context():
        assert (build_context(make_request())["logo"] is not None) is drawn
        pdf = render_handout(make_request())
    images = [image for page in PdfReader(io.BytesIO(pdf)).pages for image in page.images]
    assert bool(images) is drawn

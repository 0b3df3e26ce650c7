"""The clinic's logo: which configured file may be shown, on kiosk pages and on handouts."""

import os
from typing import Any
from urllib.parse import quote

LOGO_EXTENSIONS = (".png", ".jpg", ".svg")


def logo_path(static: str, logo: Any) -> str | None:
    """Relative URL of the configured logo under static/img/, or None if unusable."""
    if not logo or not isinstance(logo, str) or os.path.basename(logo) != logo:
        return None
    if not logo.lower().endswith(LOGO_EXTENSIONS):
        return None
    img_dir = os.path.realpath(os.path.join(static, "img"))
    path = os.path.realpath(os.path.join(img_dir, logo))
    if os.path.dirname(path) != img_dir or not os.path.isfile(path):
        return None
    return "img/" + quote(logo)

"""The review screen's links say what they change (issue 24, item 17: "Change: About you"),
and "What you have tried" offers pain medicine (contract v3 `pain_medicine`)."""

import re

import pytest
from flask.testing import FlaskClient

from tests.pages import STEP_FIELDS, kiosk_answers, post_step, start

CHANGE_LINK = re.compile(r'<a class="button change" href="/step/(\w+)">([^<]*)</a>')


@pytest.mark.parametrize(("language", "expected"), [
    ("en", {"about": "Change: About you", "tried": "Change: What you have tried"}),
    ("es", {"about": "Cambiar: Sobre usted"}),
])
def test_each_change_link_reads_change_and_the_step(
    client: FlaskClient, language: str, expected: dict[str, str]
) -> None:
    start(client, language)
    data = kiosk_answers()
    for step in STEP_FIELDS:
        assert post_step(client, step, data).status_code == 302, step
    html = client.get("/review").get_data(as_text=True)
    links = dict(CHANGE_LINK.findall(html))
    assert set(links) == set(STEP_FIELDS)
    for step, words in expected.items():
        assert links[step] == words


def test_what_you_have_tried_offers_pain_medicine(client: FlaskClient) -> None:
    start(client)
    html = client.get("/step/tried").get_data(as_text=True)
    assert 'value="pain_medicine"' in html and "Pain medicine" in html

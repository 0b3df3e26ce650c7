"""A text-size control on every kiosk screen (issue 24, item 14): two sizes, kept in the
session until the patient leaves (a UI choice, no patient data), cleared with the draft."""

import re

from flask.testing import FlaskClient

from clinic.kiosk.blueprint import TEXT_SIZE_KEY
from tests.pages import csrf_from, kiosk_answers, post_step, start


def choose(client: FlaskClient, path: str, size: str, fetch: bool = False) -> str:
    html = client.get(path).get_data(as_text=True)
    form = re.search(r'<form method="post" action="/text-size"(.*?)</form>', html, re.S)
    assert form, path
    data = {"csrf_token": csrf_from(form.group(1)), "size": size, "next": path}
    if fetch:
        data["fetch"] = "1"
    response = client.post("/text-size", data=data)
    assert response.status_code == (204 if fetch else 302), response.status_code
    return response.location if not fetch else ""


def is_large(html: str) -> bool:
    return bool(re.search(r'<html[^>]*class="kiosk text-large"', html))


def test_every_kiosk_screen_has_two_text_sizes(client: FlaskClient) -> None:
    for path in ("/", "/step/about", "/step/danger"):
        if path == "/step/about":
            start(client)
        html = client.get(path).get_data(as_text=True)
        assert 'name="size" value="standard"' in html and 'name="size" value="large"' in html
        assert ">A<" in html and ">A+<" in html
        assert not is_large(html)


def test_the_larger_size_is_kept_through_the_steps_until_the_patient_leaves(
    client: FlaskClient,
) -> None:
    start(client)
    assert choose(client, "/step/about", "large").endswith("/step/about")
    assert is_large(client.get("/step/about").get_data(as_text=True))
    post_step(client, "about", kiosk_answers())
    html = client.get("/step/danger").get_data(as_text=True)
    assert is_large(html) and 'value="large" class="button" aria-pressed="true"' in html
    # Back to the start: the visit ends, the next patient gets the standard size.
    assert not is_large(client.get("/").get_data(as_text=True))
    with client.session_transaction() as session:
        assert TEXT_SIZE_KEY not in session


def test_chosen_on_the_welcome_screen_it_stays_for_the_steps(client: FlaskClient) -> None:
    choose(client, "/", "large", fetch=True)
    assert is_large(client.get("/").get_data(as_text=True))
    start(client, "es")
    assert is_large(client.get("/step/about").get_data(as_text=True))
    choose(client, "/step/about", "standard", fetch=True)
    assert not is_large(client.get("/step/about").get_data(as_text=True))


def test_start_again_and_idle_reset_clear_the_size(client: FlaskClient) -> None:
    start(client)
    choose(client, "/step/about", "large")
    client.post("/reset", data={"csrf_token": csrf_from(
        client.get("/start-again?step=about").get_data(as_text=True))})
    with client.session_transaction() as session:
        assert TEXT_SIZE_KEY not in session


def test_only_known_sizes_with_the_kiosk_token(client: FlaskClient) -> None:
    assert client.post("/text-size", data={"size": "large"}).status_code == 400
    html = client.get("/").get_data(as_text=True)
    token = csrf_from(html)
    assert client.post("/text-size", data={"csrf_token": token, "size": "huge"}).status_code == 400
    away = client.post("/text-size", data={"csrf_token": token, "size": "large",
                                           "next": "//evil.example/"})
    assert away.location == "/"

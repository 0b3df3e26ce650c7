"""A date of birth that cannot be misread (issue 24, item 9): the month is chosen by name in
every language, day and year are digits, and a year not written with four digits is asked
again, saying so."""

import re

import pytest
from flask.testing import FlaskClient

from tests.pages import kiosk_answers, post_step, start

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "es": ["Enero", "Febrero", "Marzo", "Abril", "Mayo", "Junio", "Julio", "Agosto",
           "Septiembre", "Octubre", "Noviembre", "Diciembre"],
}


def month_options(html: str) -> list[tuple[str, str]]:
    select = re.search(r'<select[^>]*id="dob_month"[^>]*>(.*?)</select>', html, re.S)
    assert select, "the month is not chosen from a list"
    return re.findall(r'<option[^>]*value="(\d*)"[^>]*>([^<]*)</option>', select.group(1))


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_month_is_chosen_by_name_in_the_patients_language(
    client: FlaskClient, language: str
) -> None:
    start(client, language)
    html = client.get("/step/about").get_data(as_text=True)
    options = month_options(html)
    assert [name for value, name in options if value] == MONTHS[language]
    assert [value for value, _ in options] == ["", *(str(n) for n in range(1, 13))]
    # Day and year stay digits, with the numeric keypad.
    for part in ("dob_day", "dob_year"):
        assert re.search(rf'<input[^>]*id="{part}"[^>]*inputmode="numeric"', html) or \
            re.search(rf'<input[^>]*inputmode="numeric"[^>]*id="{part}"', html), part


def test_a_chosen_month_is_kept_and_stored_as_that_month(client: FlaskClient) -> None:
    start(client)
    assert post_step(client, "about", kiosk_answers(
        dob_day="5", dob_month="3", dob_year="1950")).status_code == 302
    html = client.get("/step/about").get_data(as_text=True)
    assert re.search(r'<option selected value="3">March</option>|'
                     r'<option value="3" selected>March</option>', html), html[:0]


@pytest.mark.parametrize("month", ["13", "0", "March", "3 ", "03x"])
def test_a_month_that_is_not_one_of_the_twelve_is_refused(client: FlaskClient, month: str) -> None:
    start(client)
    response = post_step(client, "about", kiosk_answers(dob_day="5", dob_month=month,
                                                        dob_year="1950"))
    if month.strip() == "3":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert "not a real date" in response.get_data(as_text=True)


@pytest.mark.parametrize("year", ["50", "950", "19500"])
def test_a_year_without_four_digits_asks_for_four(client: FlaskClient, year: str) -> None:
    start(client)
    html = post_step(client, "about", kiosk_answers(dob_day="5", dob_month="3",
                                                    dob_year=year)).get_data(as_text=True)
    assert "Please check the year of birth: use all four digits, for example 1980." in html


def test_the_year_message_in_spanish(client: FlaskClient) -> None:
    start(client, "es")
    html = post_step(client, "about", kiosk_answers(dob_day="5", dob_month="3",
                                                    dob_year="50")).get_data(as_text=True)
    assert "escriba los cuatro dígitos" in html

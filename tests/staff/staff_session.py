"""Create a staff account through the CLI and log in through the form, as staff would."""

from typing import Any

from flask.testing import FlaskClient, FlaskCliRunner

from tests.conftest import csrf_from

PASSWORD = "correct horse battery"


def create(runner: FlaskCliRunner, username: str = "desk", role: str = "front_desk",
           password: str = PASSWORD, repeat: str | None = None) -> Any:
    second = password if repeat is None else repeat
    return runner.invoke(args=["create-staff", username, "--role", role, "--password-stdin"],
                         input=f"{password}\n{second}\n")


def login(client: FlaskClient, username: str = "desk", password: str = PASSWORD,
          next_url: str = "") -> Any:
    token = csrf_from(client.get("/staff/login").get_data(as_text=True))
    url = "/staff/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"username": username, "password": password,
                                  "csrf_token": token})

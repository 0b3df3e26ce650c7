"""A tiny HTTP client with cookies and CSRF handling, standing in for a kiosk or a browser."""

import http.client
import re
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Client:
    """One kiosk or staff browser: a keep-alive connection and its cookies."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        self.location: str | None = None  # where the last response redirected to


    def request(self, method: str, path: str,
                form: list[tuple[str, str]] | None = None) -> tuple[int, bytes, float]:
        """Status, body and elapsed milliseconds of one request (redirects not followed: the
        target is kept in `location`, as a path with its query)."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        elapsed = (time.perf_counter() - start) * 1000
        self.location = _local(response.headers.get("Location"))
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        return response.status, data, elapsed

    def token(self, path: str) -> tuple[str, float]:
        """The CSRF token of the page's form that posts to `path` (a kiosk page also holds
        the text-size and Start again forms), else of its first form."""
        status, body, elapsed = self.request("GET", path)
        html = body.decode()
        own = re.search(r'<form[^>]*action="' + re.escape(path) + r'"[^>]*>(.*?)</form>', html,
                        re.S)
        match = CSRF.search(own.group(1) if own else html)
        if status != 200 or match is None:
            raise RuntimeError(f"GET {path}: {status}, no CSRF token")
        return match.group(1), elapsed

    def post(self, path: str, form: list[tuple[str, str]]) -> tuple[int, float]:
        token, _ = self.token(path)
        status, _body, elapsed = self.request("POST", path, [*form, ("csrf_token", token)])
        return status, elapsed


def _local(location: str | None) -> str | None:
    """The path and query of a Location header, which may be absolute or relative."""
    if location is None:
        return None
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")

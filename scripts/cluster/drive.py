"""What the cluster's users do over HTTP, through the load balancer: the real forms, with their
CSRF tokens, as a browser posts them. A 5xx answer is what the load balancer could not retry:
counted, and the user tries again (at most ATTEMPTS times), as a person clicks again."""

import re
import threading
import time

import requests

ATTEMPTS = 4
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Counter:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.server_errors: list[str] = []  # "502 POST /path"
        self.connection_errors: list[str] = []

    def note(self, method: str, path: str, status: int | None, error: str = "") -> None:
        with self.lock:
            self.requests += 1
            if status is None:
                self.connection_errors.append(f"{method} {path}: {error}"[:200])
            elif status >= 500:
                self.server_errors.append(f"{status} {method} {path}")


class Browser:
    def __init__(self, base: str, counter: Counter):
        self.base = base
        self.counter = counter
        self.session = requests.Session()

    def _send(self, method: str, path: str, **kwargs) -> requests.Response:
        last = None
        for attempt in range(ATTEMPTS):
            try:
                response = self.session.request(
                    method, self.base + path, timeout=30, allow_redirects=False, **kwargs
                )
            except requests.RequestException as error:
                self.counter.note(method, path, None, repr(error))
                last = error
            else:
                self.counter.note(method, path, response.status_code)
                if response.status_code < 500:
                    return response
                last = RuntimeError(f"{response.status_code} on {method} {path}")
            time.sleep(0.5 * (attempt + 1))
        raise RuntimeError(f"{method} {path}: gave up after {ATTEMPTS} attempts: {last}")

    def get(self, path: str) -> requests.Response:
        return self._send("GET", path)

    def post_form(self, path: str, data: dict, *, page: str | None = None) -> requests.Response:
        """GET the page (for its form's CSRF token), then POST the form; the POST's answer."""
        form_page = self.get(page or path)
        match = TOKEN.search(form_page.text)
        if match is None:
            raise RuntimeError(f"no form on {page or path} ({form_page.status_code})")
        return self._send(
            "POST",
            path,
            data={**data, "csrfmiddlewaretoken": match.group(1)},
            headers={"Referer": self.base + (page or path)},
        )

    def log_in(self, username: str, password: str) -> None:
        answer = self.post_form("/konto/logowanie/", {"login": username, "password": password})
        if answer.status_code != 302:
            raise RuntimeError(f"{username} could not log in ({answer.status_code})")


def submit(browser: Browser, application_pk: int) -> None:
    """The applicant's "Submit" button on the check page; done when the app says submitted."""
    path = f"/wnioskodawca/wnioski/{application_pk}/wyslij/"
    answer = browser.post_form(path, {}, page=f"/wnioskodawca/wnioski/{application_pk}/sprawdz/")
    location = answer.headers.get("Location", "")
    # After a retry of a POST that did go through, the app answers "already submitted".
    if answer.status_code != 302 or not (
        location.endswith("/wyslany/") or location.endswith(f"/wnioski/{application_pk}/")
    ):
        raise RuntimeError(f"submit {application_pk}: {answer.status_code} {location}")


def task_form(browser: Browser, task_pk: int, data: dict) -> None:
    """A staff task's form posted; done when the app redirects (its success)."""
    path = f"/obsluga/zadania/{task_pk}/"
    answer = browser.post_form(path, data)
    if answer.status_code != 302:
        raise RuntimeError(f"task {task_pk}: {answer.status_code} (form refused?)")

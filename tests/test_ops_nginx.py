"""deploy/nginx-zakup.conf run for real in front of an upstream that echoes what it receives:
the forwarded headers are exactly those the app trusts, and a dead app server is skipped."""

import http.client
import json
import re
import shutil
import signal
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest

from ops.metrics import client_ip

from .ops_services import free_port

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(
    shutil.which("nginx") is None, reason="nginx is missing: apt-get install -y nginx"
)


class Echo(BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps(dict(self.headers.items())).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nginx")
    echo = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=echo.serve_forever, daemon=True).start()
    dead = free_port()  # an app server that is down: nobody listens there
    http_port, https_port = free_port(), free_port()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=zakup.example.pl", "-keyout", tmp / "key.pem", "-out", tmp / "cert.pem"],
        check=True, capture_output=True,
    )  # fmt: skip
    site = (ROOT / "deploy" / "nginx-zakup.conf").read_text()
    site = re.sub(r"(?m)^\s*server 127\.0\.0\.1:8000 ", f"    server 127.0.0.1:{dead} ", site)
    site = site.replace(
        f"    server 127.0.0.1:{dead} max_fails=2 fail_timeout=10s;",
        f"    server 127.0.0.1:{dead} max_fails=2 fail_timeout=10s;\n"
        f"    server 127.0.0.1:{echo.server_port} max_fails=2 fail_timeout=10s;",
    )
    site = re.sub(r"listen 80\b", f"listen 127.0.0.1:{http_port}", site)
    site = re.sub(r"listen 443\b", f"listen 127.0.0.1:{https_port}", site)
    site = re.sub(r"(?m)^\s*listen \[::\].*\n", "", site)
    site = site.replace(
        "/etc/letsencrypt/live/zakup.example.pl/fullchain.pem", str(tmp / "cert.pem")
    )
    site = site.replace("/etc/letsencrypt/live/zakup.example.pl/privkey.pem", str(tmp / "key.pem"))
    site = site.replace("/var/log/nginx/", f"{tmp}/")
    (tmp / "site.conf").write_text(site)
    (tmp / "nginx.conf").write_text(
        f"daemon off; pid {tmp}/nginx.pid; error_log {tmp}/error.log;\n"
        f"events {{}}\nhttp {{ access_log off; include {tmp}/site.conf; }}\n"
    )
    nginx = subprocess.Popen(["nginx", "-c", tmp / "nginx.conf", "-p", tmp])
    try:
        deadline = time.monotonic() + 10
        while True:  # bounded: until nginx answers, or 10 s
            try:
                http.client.HTTPConnection("127.0.0.1", http_port, timeout=1).request("GET", "/")
                break
            except OSError:
                assert nginx.poll() is None, (tmp / "error.log").read_text()
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.05)
        yield SimpleNamespace(
            http_port=http_port, https_port=https_port, log=tmp / "zakup.access.log"
        )
    finally:
        nginx.send_signal(signal.SIGQUIT)
        nginx.wait(timeout=10)
        echo.shutdown()


class NamedConnection(http.client.HTTPSConnection):
    """To 127.0.0.1, but naming `host` in the TLS handshake (SNI), as a browser would."""

    def __init__(self, host_name, *args, **kwargs):
        self.host_name = host_name
        super().__init__(*args, **kwargs)

    def connect(self):
        http.client.HTTPConnection.connect(self)
        self.sock = self._context.wrap_socket(self.sock, server_hostname=self.host_name)


def https_get(site, path, headers=None, host="zakup.example.pl"):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    connection = NamedConnection(host, "127.0.0.1", site.https_port, timeout=10, context=context)
    connection.request("GET", path, headers={"Host": host, **(headers or {})})
    response = connection.getresponse()
    return response, response.read()


FORGED = {
    "X-Forwarded-For": "10.9.9.9",
    "X-Forwarded-Proto": "http",
    "X-Forwarded-Host": "evil.example",
    "X-Real-IP": "10.9.9.9",
    "Forwarded": "for=10.9.9.9",
    "X-Request-ID": "chosen-by-the-client",
}


def test_the_app_receives_exactly_the_headers_it_trusts(site):
    response, body = https_get(site, "/rejestr/", FORGED)
    seen = json.loads(body)

    assert response.status == 200
    # Appended: the client's own entry stays first, nginx's view of the client comes last.
    assert seen["X-Forwarded-For"] == "10.9.9.9, 127.0.0.1"
    assert seen["X-Forwarded-Proto"] == "https"
    assert seen["Host"] == "zakup.example.pl"
    assert re.fullmatch(r"[0-9a-f]{32}", seen["X-Request-ID"])
    for untrusted in ("X-Forwarded-Host", "X-Real-IP", "Forwarded"):
        assert untrusted not in seen


def test_with_one_trusted_proxy_the_app_reads_the_address_nginx_saw(site, settings):
    settings.TRUSTED_PROXIES = 1
    _, body = https_get(site, "/rejestr/", FORGED)
    seen = json.loads(body)
    request = SimpleNamespace(
        META={"HTTP_X_FORWARDED_FOR": seen["X-Forwarded-For"], "REMOTE_ADDR": "127.0.0.1"}
    )

    assert client_ip(request) == "127.0.0.1"


def test_nginx_logs_the_request_id_it_sends(site):
    _, body = https_get(site, "/rejestr/?q=log")
    request_id = json.loads(body)["X-Request-ID"]

    # nginx writes the line once the answer is sent: it may trail the answer a little.
    deadline = time.monotonic() + 5
    while f"request_id={request_id}" not in site.log.read_text():  # bounded: 5 s
        assert time.monotonic() < deadline, site.log.read_text()
        time.sleep(0.01)


def test_a_dead_app_server_is_skipped_and_no_request_fails(site):
    statuses = [https_get(site, f"/rejestr/?n={n}")[0].status for n in range(6)]

    assert statuses == [200] * 6


def test_metrics_are_never_passed_on(site):
    response, body = https_get(site, "/metrics")

    assert response.status == 404
    assert b"X-Forwarded-For" not in body


def test_plain_http_is_sent_to_https(site):
    connection = http.client.HTTPConnection("127.0.0.1", site.http_port, timeout=10)
    connection.request("GET", "/rejestr/", headers={"Host": "zakup.example.pl"})
    response = connection.getresponse()

    assert response.status == 301
    assert response.getheader("Location") == "https://zakup.example.pl/rejestr/"


def test_an_unknown_host_name_never_reaches_the_app(site):
    with pytest.raises(ssl.SSLError, match="UNRECOGNIZED_NAME"):
        https_get(site, "/rejestr/", host="intranet.example")

"""A tiny pysaml2 service provider for the interop test (Debian's python3-pysaml2).

pysaml2's defaults throughout: unsigned AuthnRequests by HTTP-Redirect, the
ACS by HTTP-POST, single logout by HTTP-Redirect and HTTP-POST, one RSA key
for signing and decryption. The one setting beyond them is
allow_unknown_attributes: pysaml2 drops attributes its bundled name maps do
not know, and the BundID URNs are not among them; a service that wants bPK2
turns this on (or ships a map).

  /            public
  /protected   needs a login; lists the attributes received, one per line
  /logout      SP-initiated single logout
  /acs         AssertionConsumerService (HTTP-POST)
  /slo         SingleLogoutService (HTTP-Redirect and HTTP-POST)
  /metadata    the SP's metadata, as pysaml2 generates it

Usage: pysaml2_sp.py PORT IDP_METADATA_FILE KEY_FILE CERT_FILE
"""
import html
import secrets
import sys
from http.cookies import SimpleCookie
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, make_server

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAMEID_FORMAT_TRANSIENT

port, idp_metadata, key_file, cert_file = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
base = f"http://127.0.0.1:{port}"

config = SPConfig()
config.load({
    "entityid": f"{base}/metadata",
    "xmlsec_binary": "/usr/bin/xmlsec1",
    "key_file": key_file,
    "cert_file": cert_file,
    "encryption_keypairs": [{"key_file": key_file, "cert_file": cert_file}],
    "metadata": {"local": [idp_metadata]},
    "allow_unknown_attributes": True,
    "service": {
        "sp": {
            "name": "pysaml2 interop SP",
            "endpoints": {
                "assertion_consumer_service": [(f"{base}/acs", BINDING_HTTP_POST)],
                "single_logout_service": [(f"{base}/slo", BINDING_HTTP_REDIRECT), (f"{base}/slo", BINDING_HTTP_POST)],
            },
            "name_id_format": [NAMEID_FORMAT_TRANSIENT],
        },
    },
})
client = Saml2Client(config)
idp_entity_id = next(iter(client.metadata.identity_providers()))

sessions = {}  # cookie -> {"name_id": ..., "ava": ...}
outstanding = {}  # request ID -> came_from


def session_of(environ):
    cookie = SimpleCookie(environ.get("HTTP_COOKIE", ""))
    key = cookie["pysaml2sp"].value if "pysaml2sp" in cookie else None
    return key, sessions.get(key)


def form_of(environ):
    if environ["REQUEST_METHOD"] != "POST":
        return {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
    size = int(environ.get("CONTENT_LENGTH") or 0)
    return {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(size).decode()).items()}


def send_binding(start_response, http_info, extra_headers=()):
    """pysaml2's apply_binding result: a redirect (Location header) or an auto-posting form."""
    headers = list(http_info.get("headers", [])) + list(extra_headers)
    if any(name == "Location" for name, _ in headers):
        start_response("303 See Other", headers)
        return [b""]
    start_response("200 OK", [("Content-Type", "text/html")] + [h for h in headers if h[0] != "Content-type"])
    return [http_info["data"].encode()]


def page(start_response, status, body, headers=()):
    start_response(status, [("Content-Type", "text/html; charset=utf-8")] + list(headers))
    return [f"<!doctype html><html><body>{body}</body></html>".encode()]


def app(environ, start_response):
    path = environ["PATH_INFO"]
    key, session = session_of(environ)
    if path == "/metadata":
        start_response("200 OK", [("Content-Type", "application/samlmetadata+xml")])
        metadata = create_metadata_string(None, config=config, valid=None)
        return [metadata if isinstance(metadata, bytes) else metadata.encode()]
    if path == "/":
        return page(start_response, "200 OK", "<p>pysaml2 interop SP</p>")
    if path == "/protected":
        if session:
            lines = "".join(f"<li>{html.escape(name)}={html.escape(value)}</li>" for name, values in session["ava"].items() for value in values)
            return page(start_response, "200 OK", f"<ul id=attributes>{lines}</ul>")
        request_id, info = client.prepare_for_authenticate(entityid=idp_entity_id, relay_state="/protected", binding=BINDING_HTTP_REDIRECT)
        outstanding[request_id] = "/protected"
        return send_binding(start_response, info)
    if path == "/acs":
        form = form_of(environ)
        response = client.parse_authn_request_response(form["SAMLResponse"], BINDING_HTTP_POST, outstanding)
        outstanding.pop(response.in_response_to, None)
        new_key = secrets.token_urlsafe(16)
        sessions[new_key] = {"name_id": response.name_id, "ava": response.ava}
        start_response("303 See Other", [("Location", "/protected"), ("Set-Cookie", f"pysaml2sp={new_key}; Path=/; HttpOnly")])
        return [b""]
    if path == "/logout":
        if not session:
            return page(start_response, "200 OK", "<p>not logged in</p>")
        result = client.global_logout(session["name_id"])
        sessions.pop(key, None)
        binding, info = next(iter(result.values()))
        return send_binding(start_response, info)
    if path == "/slo":
        form = form_of(environ)
        binding = BINDING_HTTP_POST if environ["REQUEST_METHOD"] == "POST" else BINDING_HTTP_REDIRECT
        if "SAMLResponse" in form:
            client.parse_logout_request_response(form["SAMLResponse"], binding)
            return page(start_response, "200 OK", "<p id=logged-out>logged out</p>")
        name_id = session["name_id"] if session else None
        info = client.handle_logout_request(form["SAMLRequest"], name_id, binding, relay_state=form.get("RelayState", ""))
        sessions.pop(key, None)
        return send_binding(start_response, info)
    return page(start_response, "404 Not Found", "<p>not found</p>")


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        sys.stderr.write("pysaml2-sp: " + (format % args) + "\n")


make_server("127.0.0.1", int(port), app, handler_class=QuietHandler).serve_forever()

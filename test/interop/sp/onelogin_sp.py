"""A tiny OneLogin python3-saml service provider for the interop test (Debian's python3-onelogin-saml2).

The toolkit's defaults throughout ("strict" on, as its documentation asks
for production; every "security" setting left at its default: unsigned
requests, unspecified NameID format, the ACS by HTTP-POST and single logout
by HTTP-Redirect); the IdP settings come from our metadata through the
toolkit's own OneLogin_Saml2_IdPMetadataParser.

  /            public
  /protected   needs a login; lists the attributes received, one per line
  /logout      SP-initiated single logout
  /acs         AssertionConsumerService (HTTP-POST)
  /slo         SingleLogoutService (HTTP-Redirect)
  /metadata    the SP's metadata, as the toolkit generates it

Usage: onelogin_sp.py PORT IDP_METADATA_FILE KEY_FILE CERT_FILE IDP_ENTITY_ID
"""
import html
import secrets
import sys
from http.cookies import SimpleCookie
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, make_server

from onelogin.saml2.auth import OneLogin_Saml2_Auth
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser
from onelogin.saml2.settings import OneLogin_Saml2_Settings

port, idp_metadata, key_file, cert_file, idp_entity_id = sys.argv[1:6]
base = f"http://127.0.0.1:{port}"

with open(idp_metadata) as f:
    idp_settings = OneLogin_Saml2_IdPMetadataParser.parse(f.read(), entity_id=idp_entity_id)
with open(key_file) as f:
    private_key = f.read()
with open(cert_file) as f:
    certificate = f.read()

settings = {
    "strict": True,
    "debug": True,
    "sp": {
        "entityId": f"{base}/metadata",
        "assertionConsumerService": {"url": f"{base}/acs", "binding": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"},
        "singleLogoutService": {"url": f"{base}/slo", "binding": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"},
        "x509cert": certificate,
        "privateKey": private_key,
    },
    "idp": idp_settings["idp"],
}

sessions = {}  # cookie -> login facts


def request_data(environ):
    body = {}
    if environ["REQUEST_METHOD"] == "POST":
        size = int(environ.get("CONTENT_LENGTH") or 0)
        body = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(size).decode()).items()}
    return {
        "https": "off",
        "http_host": f"127.0.0.1:{port}",
        "server_port": port,
        "script_name": environ["PATH_INFO"],
        "get_data": {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()},
        "post_data": body,
        "query_string": environ.get("QUERY_STRING", ""),
    }


def page(start_response, status, body, headers=()):
    start_response(status, [("Content-Type", "text/html; charset=utf-8")] + list(headers))
    return [f"<!doctype html><html><body>{body}</body></html>".encode()]


def redirect(start_response, location, headers=()):
    start_response("303 See Other", [("Location", location)] + list(headers))
    return [b""]


def app(environ, start_response):
    path = environ["PATH_INFO"]
    cookie = SimpleCookie(environ.get("HTTP_COOKIE", ""))
    key = cookie["oneloginsp"].value if "oneloginsp" in cookie else None
    session = sessions.get(key)
    data = request_data(environ)  # reads the body: once only
    auth = OneLogin_Saml2_Auth(data, old_settings=settings)
    if path == "/metadata":
        sp_settings = OneLogin_Saml2_Settings(settings, sp_validation_only=True)
        metadata = sp_settings.get_sp_metadata()
        errors = sp_settings.validate_metadata(metadata)
        if errors:
            return page(start_response, "500 Internal Server Error", html.escape(", ".join(errors)))
        start_response("200 OK", [("Content-Type", "application/samlmetadata+xml")])
        return [metadata if isinstance(metadata, bytes) else metadata.encode()]
    if path == "/":
        return page(start_response, "200 OK", "<p>OneLogin interop SP</p>")
    if path == "/protected":
        if session:
            lines = "".join(f"<li>{html.escape(name)}={html.escape(value)}</li>" for name, values in session["attributes"].items() for value in values)
            return page(start_response, "200 OK", f"<ul id=attributes>{lines}</ul>")
        return redirect(start_response, auth.login(return_to=f"{base}/protected"))
    if path == "/acs":
        auth.process_response()
        errors = auth.get_errors()
        if errors:
            sys.stderr.write(f"onelogin-sp: ACS refused the response: {errors}: {auth.get_last_error_reason()}\n")
            return page(start_response, "403 Forbidden", f"<p id=error>{html.escape(str(errors))}: {html.escape(str(auth.get_last_error_reason()))}</p>")
        new_key = secrets.token_urlsafe(16)
        sessions[new_key] = {
            "attributes": auth.get_attributes(),
            "name_id": auth.get_nameid(),
            "name_id_format": auth.get_nameid_format(),
            "nq": auth.get_nameid_nq(),
            "spnq": auth.get_nameid_spnq(),
            "session_index": auth.get_session_index(),
        }
        relay_state = data["post_data"].get("RelayState") or "/protected"
        return redirect(start_response, relay_state, [("Set-Cookie", f"oneloginsp={new_key}; Path=/; HttpOnly")])
    if path == "/logout":
        if not session:
            return page(start_response, "200 OK", "<p>not logged in</p>")
        return redirect(start_response, auth.logout(return_to=f"{base}/", name_id=session["name_id"], session_index=session["session_index"], nq=session["nq"], name_id_format=session["name_id_format"], spnq=session["spnq"]))
    if path == "/slo":
        url = auth.process_slo(delete_session_cb=lambda: sessions.pop(key, None))
        errors = auth.get_errors()
        if errors:
            sys.stderr.write(f"onelogin-sp: SLO refused the message: {errors}: {auth.get_last_error_reason()}\n")
            return page(start_response, "403 Forbidden", f"<p id=error>{html.escape(str(errors))}: {html.escape(str(auth.get_last_error_reason()))}</p>")
        sessions.pop(key, None)
        if url:
            return redirect(start_response, url)
        return page(start_response, "200 OK", "<p id=logged-out>logged out</p>")
    return page(start_response, "404 Not Found", "<p>not found</p>")


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        sys.stderr.write("onelogin-sp: " + (format % args) + "\n")


make_server("127.0.0.1", int(port), app, handler_class=QuietHandler).serve_forever()

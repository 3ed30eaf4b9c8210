#!/usr/bin/env python3
"""peer_sim.py: a stand-in for the two peer systems the kiosk adapts, for its tests.

Serves, on 127.0.0.1 (standard library only):
  OpenMRS   GET  /openmrs/ws/rest/v1/session                    (Basic kiosk:secret: a session)
            GET  /openmrs/ws/rest/v1/queueutil/active-tickets   (anyone; a stale session: 401)
            GET  /openmrs/ws/rest/v1/queue-entry, queue-entry-metrics (privilege Get Queue Entries)
  Novo SGA  POST /api/token, /oauth2/token                      (password and refresh grants)
            GET  /api/unidades/1/painel?servicos=1,2            (Bearer token)
            as --novosga says (the research in docs/novosga.md):
              2.1           no /oauth2/token (404); every refusal 400, oauth2-php's bodies
              2.2           both paths; 400 invalid_grant, 401 invalid_client, a refused
                            refresh 401 invalid_request; the panel's 401 is plain text
              2.2-firewall  2.2 with /oauth2/token behind the login page (302 to /login)
  admin     POST /admin/call   {"ticket": "A008"}                   adds a call to both; for Novo
                                 SGA optionally "local", "counter", "prioridade" and "peso"
            POST /admin/revoke                                   forgets every issued token
            POST /admin/openmrs  {"forget_sessions": true, "queue_privilege": false}
            GET  /admin/state                                    counters (logins, refreshes)

Usage: peer_sim.py --port-file PATH [--token-lifetime SECONDS] [--novosga 2.1|2.2|2.2-firewall]
"""
import argparse
import base64
import json
import os
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

CLIENT_ID, CLIENT_SECRET = "kiosk-client", "client-secret"
USER, PASSWORD = "kiosk", "secret"


OM = "/openmrs/ws/rest/v1/"
OM_WAITING = "51ae5e4d-b72b-4912-bf31-a17efb690aeb"
OM_NUMBER = "c0c579b0-8e59-401d-8a4a-976a0b183519"


def om_entry(ticket, priority_uuid, priority_name, started_at):
    return {"uuid": secrets.token_hex(8), "queue": {"uuid": "q-triage", "name": "Triage"},
            "status": {"uuid": OM_WAITING, "display": "Waiting"},
            "priority": {"uuid": priority_uuid, "display": priority_name},
            "sortWeight": 0.0, "startedAt": started_at,
            "visit": {"attributes": [{"value": ticket, "attributeType": {"uuid": OM_NUMBER}}]}}


def om_no_patient(rep):
    """True for a custom representation without the patient or the entry's display (which is
    the patient's name): what the kiosk promises never to ask for."""
    if not rep.startswith("custom:(") or not rep.endswith(")"):
        return False
    fields, depth, name = [], 0, ""
    for ch in rep[len("custom:("):-1] + ",":
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            fields.append(name.split(":")[0])
            name = ""
        elif depth or ch != ",":
            name += ch
    return "patient" not in fields and "display" not in fields


class State:
    def __init__(self, lifetime, version):
        self.lock = threading.Lock()
        self.lifetime = lifetime
        self.version = version
        self.tokens = set()
        self.refresh_tokens = set()
        self.counters = {"logins": 0, "refreshes": 0, "panel_401": 0, "refused": 0,
                         "api_token_posts": 0, "oauth2_token_posts": 0}
        self.rows = [{"id": 1, "siglaSenha": "A", "numeroSenha": 7, "local": "Guichê",
                      "numeroLocal": 2, "prioridade": "Normal", "peso": 0,
                      "servico": {"id": 1, "nome": "Clínico"}}]
        self.openmrs = {"Triage": {"status": "serving", "ticketNumber": "TR-001"}}
        self.om_sessions = set()
        self.om_queue_privilege = True
        self.om_counters = {"om_basic_auths": 0, "om_failed_logins": 0, "om_session_polls": 0,
                            "om_stale_401": 0, "om_queue_403": 0}
        # queue 3.0.0 QueueEntryResource, custom rep (no patient, no display): who waits.
        self.om_waiting = [om_entry("TR-002", "04f6f7e0-e3cb-4e13-a133-4479f759574e",
                                    "Emergency", "2026-03-02T09:14:05.000+0300"),
                           om_entry("TR-003", "f4620bfa-3625-4883-bd3f-84c2cce14470",
                                    "Not Urgent", "2026-03-02T09:20:41.000+0300")]

    def issue(self):
        access, refresh = secrets.token_hex(16), secrets.token_hex(16)
        self.tokens.add(access)
        self.refresh_tokens.add(refresh)
        if self.version == "2.1":
            return {"access_token": access, "expires_in": self.lifetime, "token_type": "bearer",
                    "scope": None, "refresh_token": refresh}
        return {"token_type": "Bearer", "expires_in": self.lifetime, "access_token": access,
                "refresh_token": refresh}

    def refusal(self, case):
        """(status, body) as FOSOAuthServerBundle/oauth2-php 1.3.1 (v2.1) or
        league/oauth2-server 8.5.4 (v2.2) refuse."""
        if self.version == "2.1":
            return 400, {
                "client": {"error": "invalid_client",
                           "error_description": "The client credentials are invalid"},
                "password": {"error": "invalid_grant",
                             "error_description": "Invalid username and password combination"},
                "refresh": {"error": "invalid_grant", "error_description": "Invalid refresh token"},
            }[case]
        status, error, description = {
            "client": (401, "invalid_client", "Client authentication failed"),
            "password": (400, "invalid_grant", "The user credentials were incorrect."),
            "refresh": (401, "invalid_request", "The refresh token is invalid."),
        }[case]
        body = {"error": error, "error_description": description}
        if case == "refresh":
            body["hint"] = "Token has been revoked"
        body["message"] = description
        return status, body


class Handler(BaseHTTPRequestHandler):
    state = None

    def log_message(self, *args):
        pass

    def reply(self, status, body, headers=()):
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def reply_text(self, status, text, headers=()):
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=UTF-8")
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        return self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()

    def do_GET(self):
        url, st = urlparse(self.path), self.state
        with st.lock:
            if url.path.startswith(OM):
                return self.openmrs(url.path[len(OM):], parse_qs(url.query))
            if url.path == "/api/unidades/1/painel":
                token = (self.headers.get("Authorization") or "")[len("Bearer "):]
                if token not in st.tokens:
                    st.counters["panel_401"] += 1
                    if st.version == "2.1":
                        return self.reply(401, {"error": "invalid_grant", "error_description":
                                                "The access token provided is invalid."})
                    return self.reply_text(401, "The resource server rejected the request.",
                                           [("WWW-Authenticate", "Bearer")])
                return self.reply(200, st.rows)
            if url.path == "/admin/state":
                return self.reply(200, {**st.counters, **st.om_counters})
        self.reply(404, {"error": "not found"})

    def do_POST(self):
        url, st = urlparse(self.path), self.state
        body = self.body()
        with st.lock:
            if url.path in ("/api/token", "/oauth2/token"):
                st.counters[url.path.split("/")[1] + "_token_posts"] += 1
                if url.path == "/oauth2/token" and st.version == "2.1":
                    return self.reply_text(404, "<html><body>No route found</body></html>")
                if url.path == "/oauth2/token" and st.version == "2.2-firewall":
                    return self.reply_text(302, "Redirecting to /login",
                                           [("Location", "/login")])
                return self.token(parse_qs(body))
            if url.path == "/admin/call":
                call = json.loads(body)
                number = int(call["ticket"][1:])
                st.rows.insert(0, {"id": st.rows[0]["id"] + 1 if st.rows else 1,
                                   "senha": call["ticket"], "local": call.get("local", "Guichê"),
                                   "numeroLocal": call.get("counter", 2),
                                   "prioridade": call.get("prioridade", "Normal"),
                                   "peso": call.get("peso", 0)})
                st.openmrs["Triage"] = {"status": "calling", "ticketNumber": f"TR-{number:03d}"}
                st.om_waiting = [e for e in st.om_waiting
                                 if e["visit"]["attributes"][0]["value"] != f"TR-{number:03d}"]
                return self.reply(200, {"ok": True})
            if url.path == "/admin/openmrs":
                change = json.loads(body)
                if change.get("forget_sessions"):
                    st.om_sessions.clear()
                st.om_queue_privilege = change.get("queue_privilege", st.om_queue_privilege)
                return self.reply(200, {"ok": True})
            if url.path == "/admin/revoke":
                st.tokens.clear()
                st.refresh_tokens.clear()
                return self.reply(200, {"ok": True})
        self.reply(404, {"error": "not found"})

    def openmrs_user(self):
        """As webservices.rest's AuthorizationFilter: a known session, else Basic, where a
        wrong password goes on as anonymous (None). A stale session id gets 401 at once."""
        st = self.state
        cookie = self.headers.get("Cookie") or ""
        session = cookie[len("JSESSIONID="):] if cookie.startswith("JSESSIONID=") else None
        if session is not None:
            if session not in st.om_sessions:
                st.om_counters["om_stale_401"] += 1
                return "stale"
            st.om_counters["om_session_polls"] += 1
            return USER
        auth = self.headers.get("Authorization") or ""
        if not auth.startswith("Basic "):
            return None
        st.om_counters["om_basic_auths"] += 1
        user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
        if (user, password) != (USER, PASSWORD):
            st.om_counters["om_failed_logins"] += 1
            return None
        return USER

    def openmrs(self, resource, query):
        st = self.state
        user = self.openmrs_user()
        if user == "stale":
            return self.reply(401, {"error": {"message": "Session timed out"}})
        if resource == "session":
            if not user:
                return self.reply(200, {"authenticated": False, "locale": "en",
                                        "allowedLocales": ["en", "fr", "es"]})
            session = secrets.token_hex(16).upper()
            st.om_sessions.add(session)
            return self.reply(200, {"authenticated": True, "locale": "en",
                                    "allowedLocales": ["en"], "sessionLocation": None,
                                    "user": {"uuid": "45ce6c2e", "display": USER,
                                             "username": USER, "privileges": []}},
                              [("Set-Cookie", f"JSESSIONID={session}; Path=/openmrs; HttpOnly")])
        if resource == "queueutil/active-tickets":  # no privilege check at all
            return self.reply(200, st.openmrs)
        if resource in ("queue-entry", "queue-entry-metrics"):
            if not user:
                return self.reply(401, {"error": {"message": "User is not logged in"}})
            if not st.om_queue_privilege:
                st.om_counters["om_queue_403"] += 1
                return self.reply(403, {"error": {
                    "message": "User is logged in but doesn't have the relevant privilege "
                               "[Privileges required: Get Queue Entries]", "detail": ""}})
            if resource == "queue-entry-metrics":
                return self.reply(200, {"count": 12, "averageWaitTime": 17.5})
            if not om_no_patient(query.get("v", [""])[0]) or query.get("status") != [OM_WAITING]:
                return self.reply(400, {"error": {"message": "the kiosk asked for more"}})
            return self.reply(200, {"results": st.om_waiting})
        return self.reply(404, {"error": {"message": "not found"}})

    def token(self, form):
        st = self.state
        get = lambda key: (form.get(key) or [""])[0]
        if get("client_id") != CLIENT_ID or get("client_secret") != CLIENT_SECRET:
            return self.refuse("client")
        if get("grant_type") == "password":
            if get("username") != USER or get("password") != PASSWORD:
                return self.refuse("password")
            st.counters["logins"] += 1
            return self.reply(200, st.issue())
        if get("grant_type") == "refresh_token":
            if get("refresh_token") not in st.refresh_tokens:
                return self.refuse("refresh")
            st.refresh_tokens.discard(get("refresh_token"))
            st.counters["refreshes"] += 1
            return self.reply(200, st.issue())
        return self.reply(400, {"error": "unsupported_grant_type"})

    def refuse(self, case):
        self.state.counters["refused"] += 1
        return self.reply(*self.state.refusal(case))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--token-lifetime", type=int, default=3600)
    parser.add_argument("--novosga", choices=["2.1", "2.2", "2.2-firewall"], default="2.1")
    args = parser.parse_args()
    Handler.state = State(args.token_lifetime, args.novosga)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()

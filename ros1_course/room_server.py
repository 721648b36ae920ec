"""Ask the room, the phones' side: light pages the course's server serves (plain HTML and a small script, no
notebook and no kernel per phone), taking one answer per question per device into the room's SQLite file.

Routes, under the server's base URL:
- `room/`: type a room code;
- `room/<CODE>`: the room's current question and this device's answer (`?fragment=1`: only the part the script
  swaps in when the question changes);
- `room/<CODE>/state`: a few bytes of JSON the page polls (`{"version": "<poll>:<state>"}`);
- `room/<CODE>/answer`: POST, the device's answer (form fields `poll` and `option`, with the `_xsrf` token).

The phones need the room code, never the server's token: these pages open no kernel and show only the
question. Everything a phone sends is checked before anything is kept; what it is told is escaped.
"""

from __future__ import annotations

import json
import secrets
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tornado.web
from markupsafe import Markup

from widgets.render import environment

from .room_store import REVEALED, Poll, RoomError, RoomStore, normal_code

STATIC = Path(__file__).parent / "static"
ASSETS = {"room.js": "text/javascript; charset=utf-8", "room.css": "text/css; charset=utf-8"}
DEVICE_COOKIE = "ros1_room_device"
MAX_BODY_BYTES = 2048  # an answer is a few dozen bytes
MAX_FIELDS = 24
CODE_PATTERN = r"[A-Za-z0-9]{1,16}"
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                               "img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


@dataclass
class RateLimit:
    """At most `burst` events per `seconds` for each key (a device, an address), refilled evenly."""

    burst: int
    seconds: float
    buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def allow(self, key: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        tokens, then = self.buckets.get(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - then) * self.burst / self.seconds)
        if len(self.buckets) > 50_000:  # forget the idle ones (a day's devices), not the ones flooding
            self.buckets = {k: v for k, v in self.buckets.items() if now - v[1] < self.seconds}
        if tokens < 1:
            self.buckets[key] = (tokens, now)
            return False
        self.buckets[key] = (tokens - 1, now)
        return True


@dataclass
class RoomService:
    """What the room's handlers share: the room file and the limits on answers."""

    store: RoomStore
    per_device: RateLimit = field(default_factory=lambda: RateLimit(burst=10, seconds=10))
    per_address: RateLimit = field(default_factory=lambda: RateLimit(burst=3000, seconds=10))


def room_page_html(code: str, poll: Poll | None, mine: frozenset[int] | None, xsrf: Markup, base: str,
                   message: str = "", alert: bool = False, fragment: bool = False) -> str:
    """The phone's page of a room (or, with `fragment`, the part that changes), every value escaped."""
    template = "room-state.html.j2" if fragment else "room.html.j2"
    return environment("ros1_course").get_template(template).render(
        code=code, poll=poll, mine=mine or frozenset(), xsrf=xsrf,
        mine_text="; ".join(poll.options[index] for index in sorted(mine)) if poll and mine else "",
        base=base, message=message, alert=alert,
        version=version(poll), revealed=poll is not None and poll.state == REVEALED)


def whole_number(text: str) -> int:
    """A form field's number; -1 (which names no question and no option) for anything else."""
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 12 else -1


def version(poll: Poll | None) -> str:
    """What changes when the room's question or its state does."""
    return f"{poll.id}:{poll.state}" if poll else "none"


class RoomHandler(tornado.web.RequestHandler):
    """The headers every room page carries; errors as a short page that says what to do."""

    def initialize(self, service: RoomService, base: str) -> None:
        self.service = service
        self.base = base

    def set_default_headers(self) -> None:
        for name, value in HEADERS.items():
            self.set_header(name, value)

    def device(self) -> str:
        """This browser's random device id, set in a cookie on its first visit."""
        device = self.get_cookie(DEVICE_COOKIE, "")
        if not device or len(device) > 64:
            device = secrets.token_urlsafe(18)
            self.set_cookie(DEVICE_COOKIE, device, path=self.base, httponly=True, samesite="Strict",
                            expires_days=1)
        return device

    def room_code(self, code: str) -> str:
        code = normal_code(code)
        if not self.service.store.has_room(code):
            raise tornado.web.HTTPError(404, reason="Unknown room")
        return code

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        reason = self._reason if status_code != 404 else "There is no room with that code"
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(environment("ros1_course").get_template("room-error.html.j2").render(
            status=status_code, reason=reason, base=self.base))


class JoinHandler(RoomHandler):
    """`room/`: a box for the room code (`?code=` goes to the room)."""

    def get(self) -> None:
        code = normal_code(self.get_argument("code", ""))[:16]
        if code:
            if code.isalnum() and self.service.store.has_room(code):
                self.redirect(f"{self.base}{code}")
                return
            self.set_status(404)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(environment("ros1_course").get_template("room-join.html.j2").render(
            base=self.base, code=code, unknown=bool(code)))


class RoomPageHandler(RoomHandler):
    """`room/<CODE>`: the question and this device's answer."""

    def get(self, code: str) -> None:
        code = self.room_code(code)
        store = self.service.store
        poll = store.current(code)
        mine = store.device_answer(poll.id, self.device()) if poll else None
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(room_page_html(code, poll, mine, Markup(self.xsrf_form_html()), self.base,
                                   fragment=self.get_argument("fragment", "") == "1"))


class StateHandler(RoomHandler):
    """`room/<CODE>/state`: what the page polls to know the question changed."""

    def get(self, code: str) -> None:
        if not self.service.per_address.allow(self.request.remote_ip or ""):
            raise tornado.web.HTTPError(429, reason="Too many requests from this address: wait a few seconds")
        code = self.room_code(code)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"version": version(self.service.store.current(code))}))


@tornado.web.stream_request_body
class AnswerHandler(RoomHandler):
    """`room/<CODE>/answer`: one device's answer, read (at most MAX_BODY_BYTES) before anything is checked."""

    def check_xsrf_cookie(self) -> None:
        """Checked in `post`, once the form is read (a streamed body is not read when tornado checks)."""

    def prepare(self) -> None:
        self.body = bytearray()
        self.too_large = False
        try:
            length = int(self.request.headers.get("Content-Length", "0"))
        except ValueError:
            raise tornado.web.HTTPError(400, reason="Bad Content-Length") from None
        if length > MAX_BODY_BYTES:
            raise tornado.web.HTTPError(413, reason="An answer is a few bytes: this one is too large")

    def data_received(self, chunk: bytes) -> None:
        if len(self.body) + len(chunk) > MAX_BODY_BYTES:
            self.too_large = True
        elif not self.too_large:
            self.body += chunk

    def post(self, code: str) -> None:
        if self.too_large:
            raise tornado.web.HTTPError(413, reason="An answer is a few bytes: this one is too large")
        try:
            fields = urllib.parse.parse_qs(bytes(self.body).decode("utf-8"), max_num_fields=MAX_FIELDS,
                                           strict_parsing=bool(self.body))
        except (UnicodeDecodeError, ValueError):
            raise tornado.web.HTTPError(400, reason="The answer could not be read") from None
        for name, values in fields.items():  # where tornado's own check looks for the form's `_xsrf`
            self.request.body_arguments.setdefault(name, []).extend(v.encode() for v in values)
            self.request.arguments.setdefault(name, []).extend(v.encode() for v in values)
        tornado.web.RequestHandler.check_xsrf_cookie(self)
        code = self.room_code(code)
        device = self.device()
        address = self.request.remote_ip or ""
        if not (self.service.per_device.allow(device) and self.service.per_address.allow(address)):
            raise tornado.web.HTTPError(429, reason="Too many answers from this device: wait a few seconds")
        store = self.service.store
        message, alert = "", False
        poll_id = whole_number(fields.get("poll", [""])[0])
        chosen = frozenset(whole_number(value) for value in fields.get("option", []))
        try:
            store.answer(code, poll_id, device, chosen)
            message = "Your answer is in. You can change it until the presenter closes the question."
        except RoomError as refused:
            self.set_status(refused.status)
            message, alert = str(refused), True
        poll = store.current(code)
        mine = store.device_answer(poll.id, device) if poll else None
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(room_page_html(code, poll, mine, Markup(self.xsrf_form_html()), self.base, message, alert,
                                   fragment=self.request.headers.get("X-Room-Fragment") == "1"))


class AssetHandler(RoomHandler):
    """The phone page's script and style sheet."""

    def get(self, name: str) -> None:
        if name not in ASSETS:
            raise tornado.web.HTTPError(404)
        self.set_header("Content-Type", ASSETS[name])
        self.set_header("Cache-Control", "max-age=3600")
        self.finish((STATIC / name).read_bytes())


def room_handlers(root: str, store: RoomStore) -> list[tuple[str, type[RoomHandler], dict[str, Any]]]:
    """The room's routes under `root` (the server's base URL without its trailing slash)."""
    base = f"{root}/room/"
    options = {"service": RoomService(store), "base": base}
    return [
        (f"{root}/room/?", JoinHandler, options),
        (f"{root}/room/assets/([a-z.]+)", AssetHandler, options),
        (f"{root}/room/({CODE_PATTERN})/?", RoomPageHandler, options),
        (f"{root}/room/({CODE_PATTERN})/state", StateHandler, options),
        (f"{root}/room/({CODE_PATTERN})/answer", AnswerHandler, options),
    ]

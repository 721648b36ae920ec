"""Send the learning record's xAPI statements to a learning record store (LRS): xAPI 1.0.3 over HTTP.

The statements go in batches to the store's statements resource (`POST {url}/statements`), with Basic
credentials from the environment (never the command line, where other users of the computer can read them).
Credentials travel only over https, or to this computer itself. Statement ids are stable (`xapi.statements`),
so sending again never makes a statement twice: a store drops a statement it already holds.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .xapi import XAPI_VERSION

USERNAME_VARIABLE = "ROS1_COURSE_LRS_USERNAME"
PASSWORD_VARIABLE = "ROS1_COURSE_LRS_PASSWORD"
BATCH_SIZE = 100  # statements per request: small enough for any store's request limit
TIMEOUT_SECONDS = 30


class LrsError(Exception):
    """The statements could not be sent; the message says why and what to do."""


@dataclass(frozen=True)
class Credentials:
    """A store's Basic credentials (from the environment)."""

    username: str
    password: str

    def header(self) -> str:
        token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode("ascii")
        return f"Basic {token}"


@dataclass(frozen=True)
class Delivery:
    """What a store did with the statements sent: `sent` in all, `new` of them stored now (the rest it held)."""

    sent: int
    new: int


def credentials_from(environ: Mapping[str, str]) -> Credentials:
    """The store's credentials from $ROS1_COURSE_LRS_USERNAME and $ROS1_COURSE_LRS_PASSWORD (both needed)."""
    username = environ.get(USERNAME_VARIABLE, "")
    password = environ.get(PASSWORD_VARIABLE, "")
    missing = [name for name, value in ((USERNAME_VARIABLE, username), (PASSWORD_VARIABLE, password)) if not value]
    if missing:
        raise LrsError(f"set {' and '.join(missing)} to the learning record store's credentials "
                       "(the store's administrator gives them)")
    return Credentials(username, password)


def statements_url(url: str) -> str:
    """The statements resource under a store's xAPI address (`https://lrs.example/xAPI` -> `.../xAPI/statements`);
    refuses an address that would send the credentials in clear text to another computer."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LrsError(f"--lrs {url!r}: give the store's xAPI address, such as https://lrs.example.org/xAPI/")
    if parts.scheme == "http" and not _is_this_computer(parts.hostname):
        raise LrsError(f"--lrs {url!r}: credentials are sent only over https (or to this computer); "
                       "use the store's https address")
    path = parts.path.rstrip("/")
    if not path.endswith("/statements"):
        path += "/statements"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _is_this_computer(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def send_statements(statements: Sequence[dict[str, Any]], url: str, credentials: Credentials,
                    batch_size: int = BATCH_SIZE) -> Delivery:
    """POST the statements to the store in batches; what it stored. Raises `LrsError` naming the batch that
    failed and how many went before it (sending again is safe: the ids are stable)."""
    endpoint = statements_url(url)
    new = 0
    for start in range(0, len(statements), batch_size):
        batch = statements[start:start + batch_size]
        try:
            new += _post(endpoint, batch, credentials)
        except LrsError as error:
            before = f" ({start} sent before it; sending again is safe)" if start else ""
            raise LrsError(f"{error}{before}") from error
    return Delivery(len(statements), new)


def _post(endpoint: str, batch: Sequence[dict[str, Any]], credentials: Credentials) -> int:
    """One batch; how many statements the store stored now (a store answers with their ids; 204: none new)."""
    request = urllib.request.Request(
        endpoint, data=json.dumps(list(batch), ensure_ascii=False).encode("utf-8"), method="POST",
        headers={"Content-Type": "application/json", "X-Experience-API-Version": XAPI_VERSION,
                 "Authorization": credentials.header()})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        raise LrsError(_refusal(endpoint, error.code, error.read())) from error
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        reason = getattr(error, "reason", error)
        raise LrsError(f"could not reach the learning record store at {endpoint}: {reason}") from error
    if status == 204 or not body.strip():
        return 0
    try:
        ids = json.loads(body)
    except json.JSONDecodeError as error:
        raise LrsError(f"the store at {endpoint} answered HTTP {status} with something that is not xAPI "
                       f"(not JSON): is this its xAPI address?") from error
    if not isinstance(ids, list):
        raise LrsError(f"the store at {endpoint} answered HTTP {status} without the statements' ids: "
                       "is this its xAPI address?")
    return len(ids)


def _refusal(endpoint: str, code: int, body: bytes) -> str:
    """Why a store refused a batch, in words a trainee can act on (the store's own reason kept)."""
    detail = _store_detail(body)
    if code in (401, 403):
        return (f"the learning record store refused the credentials (HTTP {code}): check "
                f"{USERNAME_VARIABLE} and {PASSWORD_VARIABLE}{detail}")
    if code == 404:
        return f"no xAPI statements resource at {endpoint} (HTTP 404): check the store's xAPI address{detail}"
    if code == 409:
        return ("the store already holds one of these statements with different content (HTTP 409): "
                "were they sent before under another name, or for another course address? Send them as "
                f"before (the same --name and --activity-base){detail}")
    return f"the learning record store refused the statements (HTTP {code}){detail}"


def _store_detail(body: bytes) -> str:
    """The store's own reason, where it gave one as JSON `detail` (text, or a list of field errors)."""
    try:
        detail = json.loads(body).get("detail")
    except (json.JSONDecodeError, AttributeError, UnicodeDecodeError):
        return ""
    if isinstance(detail, list):
        detail = "; ".join(f"{'.'.join(map(str, item.get('loc', ())))}: {item.get('msg', '')}"
                           if isinstance(item, dict) else str(item) for item in detail[:3])
    return f"; the store says: {str(detail)[:300]}" if detail else ""

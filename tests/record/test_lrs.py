"""`ros1-course record --lrs URL`: the record's xAPI statements sent to a real learning record store (ralph's
LRS, run here with uvicorn and its file-system backend, with Basic credentials in its auth file), run as a
user would; then read back from the store with the xAPI GET. Sending again stores nothing twice; wrong
credentials, an unreachable store, a wrong address and a clear-text address are each refused with the reason,
and the store is left as it was."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from ralph.models.xapi.base.statements import BaseXapiStatement

from content import Guidance
from ros1_course.lrs import Credentials, LrsError, send_statements
from ros1_course.record import LearningRecord
from ros1_course.record_format import Attempt
from ros1_course.xapi import Learner, learner_id, statements
from widgets.words import plural

SCRIPT = shutil.which("ros1-course", path=str(Path(sys.executable).parent))
USERNAME, PASSWORD = "course-upload", "a long pass phrase"
# ralph's LRS under uvicorn. Its file-system backend (the one that needs no database server) creates its
# statements file once and then refuses to write to it again; ralph's own APPEND operation lets a second batch in.
RUN_LRS = """
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend
FSLRSBackend.default_operation_type = BaseOperationType.APPEND
import uvicorn
uvicorn.run("ralph.api:app", host="127.0.0.1", port=0)
"""
LISTENING = re.compile(r"Uvicorn running on (http://127\.0\.0\.1:\d+)")


@dataclass
class Store:
    """A running ralph LRS: its xAPI address and its process's log."""

    xapi: str
    log: Path

    def held(self) -> list[dict[str, Any]]:
        """Every statement the store holds (xAPI GET /statements, with the course's credentials)."""
        request = urllib.request.Request(f"{self.xapi}statements?limit=500", headers={
            "X-Experience-API-Version": "1.0.3",
            "Authorization": "Basic " + base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()})
        with urllib.request.urlopen(request, timeout=10) as response:
            return list(json.load(response)["statements"])


MAKE_AUTH_FILE = """
import sys, bcrypt
from ralph.api.auth.basic import ServerUsersCredentials, UserCredentials
from ralph.models.xapi.base.agents import BaseXapiAgentWithAccount
from ralph.models.xapi.base.ifi import BaseXapiAccount
path, username, password = sys.argv[1:]
agent = BaseXapiAgentWithAccount(objectType="Agent", account=BaseXapiAccount(
    homePage="https://lrs.example.invalid", name=username))
user = UserCredentials(username=username, hash=bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode(),
                       scopes=["all"], agent=agent)
open(path, "w").write(ServerUsersCredentials.model_validate([user]).model_dump_json(exclude_none=True))
"""


def auth_file(path: Path, env: dict[str, str]) -> None:
    """The LRS's credentials file, made with ralph's own models as its `ralph auth` command does (that command's
    `cli` extra pins click below the version Jupyter's packages need, so it is not installed). In a process of
    its own: ralph's API package reads its settings and picks its backend when imported."""
    subprocess.run([sys.executable, "-c", MAKE_AUTH_FILE, str(path), USERNAME, PASSWORD], env=env, check=True,
                   timeout=60)


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then let go)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A fresh LRS on a port the system chose, its statements kept under tmp_path."""
    (tmp_path / "statements").mkdir()
    log = tmp_path / "lrs.log"
    env = {**os.environ, "RALPH_RUNSERVER_BACKEND": "fs", "RALPH_AUTH_FILE": str(tmp_path / "auth.json"),
           "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(tmp_path / "statements"),
           "RALPH_APP_DIR": str(tmp_path / "ralph")}
    auth_file(tmp_path / "auth.json", env)
    with log.open("w") as output:
        process = subprocess.Popen([sys.executable, "-c", RUN_LRS], stdout=output, stderr=subprocess.STDOUT,
                                   env=env)
    try:
        deadline = time.monotonic() + 60
        while not (found := LISTENING.search(log.read_text())):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the LRS did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield Store(found.group(1) + "/xAPI/", log)
    finally:
        process.terminate()
        process.wait(timeout=20)


def send(data: Path, url: str, *options: str, username: str = USERNAME,
         password: str = PASSWORD) -> subprocess.CompletedProcess[str]:
    assert SCRIPT
    env = {**os.environ, "ROS1_COURSE_DATA_DIR": str(data), "ROS1_COURSE_LRS_USERNAME": username,
           "ROS1_COURSE_LRS_PASSWORD": password}
    return subprocess.run([SCRIPT, "record", "--lrs", url, *options], capture_output=True, text=True, timeout=60,
                          env=env, check=False)


@pytest.fixture
def record(tmp_path: Path, guidance: Guidance) -> LearningRecord:
    """Lesson 2 worked through on its page (visited, every section seen, every question answered) and reflected
    on; lesson 3 started."""
    record = LearningRecord(tmp_path / "record.json")
    sections = ["Overview", "Summary"]
    record.note_activity(2, 95, sections, sections)
    for question in guidance.questions(2):
        record.add(Attempt.now(question.id, 2, [o for o in question.options if o in question.answer], True))
    record.save_reflection(2, "Test RNA when DNA finds no driver", "Ask for <b>RNA</b> sooner")
    first = guidance.questions(3)[0]
    record.add(Attempt.now(first.id, 3, [first.options[0]], first.options[0] in first.answer))
    return record


def test_the_record_reaches_a_real_store_and_reads_back_whole(tmp_path: Path, store: Store,
                                                              record: LearningRecord, guidance: Guidance) -> None:
    result = send(tmp_path, store.xapi, "--name", "A. Trainee")
    assert result.returncode == 0, result.stderr + store.log.read_text()[-2000:]
    expected = statements(record.contents(), guidance, Learner(learner_id(tmp_path), "A. Trainee"))
    assert f"The store took {len(expected)} new statements." in result.stdout
    held = store.held()
    assert sorted(s["id"] for s in held) == sorted(s["id"] for s in expected)
    verbs = sorted(s["verb"]["display"]["en-US"] for s in held)
    assert verbs == sorted(["attempted", "completed", "commented"] + ["answered"] * len(record.attempts()))
    for statement in held:
        BaseXapiStatement.model_validate(statement)
        assert statement["actor"]["name"] == "A. Trainee"
    completed = next(s for s in held if s["verb"]["display"]["en-US"] == "completed")
    assert completed["result"]["duration"] == "PT1M35S"
    commented = next(s for s in held if s["verb"]["display"]["en-US"] == "commented")
    assert "Ask for <b>RNA</b> sooner" in commented["result"]["response"]  # the learner's words, as written

    again = send(tmp_path, store.xapi, "--name", "A. Trainee")
    assert again.returncode == 0, again.stderr
    assert f"The store already held all {len(expected)}: nothing new to store." in again.stdout
    assert len(store.held()) == len(expected)


def test_new_work_adds_only_the_new_statements(tmp_path: Path, store: Store, record: LearningRecord,
                                               guidance: Guidance) -> None:
    assert send(tmp_path, store.xapi).returncode == 0
    before = len(store.held())
    second = guidance.questions(3)[1]
    record.add(Attempt.now(second.id, 3, [second.options[0]], second.options[0] in second.answer))
    now = statements(record.contents(), guidance, Learner(learner_id(tmp_path)))
    added = len(now) - before
    assert added >= 1  # the new answer (and the lesson's completion, where it was its last question)
    result = send(tmp_path, store.xapi)
    assert result.returncode == 0, result.stderr
    assert f"The store took {plural(added, 'new statement')}; it already held the other {before}." in result.stdout
    assert sorted(s["id"] for s in store.held()) == sorted(s["id"] for s in now)


def test_batches_send_everything_once(tmp_path: Path, store: Store, record: LearningRecord,
                                      guidance: Guidance) -> None:
    made = statements(record.contents(), guidance, Learner(learner_id(tmp_path)))
    url = store.xapi.removesuffix("/")  # the address without its trailing slash works too
    delivery = send_statements(made, url, Credentials(USERNAME, PASSWORD), batch_size=2)
    assert (delivery.sent, delivery.new) == (len(made), len(made))
    assert sorted(s["id"] for s in store.held()) == sorted(s["id"] for s in made)


def test_wrong_credentials_are_refused_and_nothing_is_stored(tmp_path: Path, store: Store,
                                                             record: LearningRecord) -> None:
    result = send(tmp_path, store.xapi, password="not the pass phrase")
    assert result.returncode == 1
    assert "refused the credentials (HTTP 401): check ROS1_COURSE_LRS_USERNAME and ROS1_COURSE_LRS_PASSWORD" \
        in result.stderr
    assert store.held() == []


def test_missing_credentials_are_named_before_anything_is_sent(tmp_path: Path, store: Store,
                                                               record: LearningRecord) -> None:
    result = send(tmp_path, store.xapi, password="")
    assert result.returncode == 2
    assert "set ROS1_COURSE_LRS_PASSWORD to the learning record store's credentials" in result.stderr
    assert "Sending" not in result.stdout and store.held() == []


def test_the_same_statements_under_another_name_are_a_conflict_the_message_explains(
    tmp_path: Path, store: Store, record: LearningRecord
) -> None:
    assert send(tmp_path, store.xapi).returncode == 0
    before = store.held()
    result = send(tmp_path, store.xapi, "--name", "A. Trainee")
    assert result.returncode == 1
    assert "already holds one of these statements with different content (HTTP 409)" in result.stderr
    assert "the same --name and --activity-base" in result.stderr
    assert store.held() == before


def test_a_wrong_address_and_an_unreachable_store_say_so(tmp_path: Path, store: Store,
                                                         record: LearningRecord) -> None:
    wrong = send(tmp_path, store.xapi.replace("/xAPI/", "/somewhere/"))
    assert wrong.returncode == 1
    assert "no xAPI statements resource at" in wrong.stderr and "(HTTP 404)" in wrong.stderr
    closed = send(tmp_path, f"http://127.0.0.1:{closed_port()}/xAPI/")
    assert closed.returncode == 1 and "could not reach the learning record store" in closed.stderr


@pytest.mark.parametrize("url", ["http://lrs.example.org/xAPI/", "ftp://lrs.example.org/", "lrs.example.org"])
def test_credentials_never_go_in_clear_text_to_another_computer(tmp_path: Path, url: str,
                                                                record: LearningRecord) -> None:
    result = send(tmp_path, url)
    assert result.returncode == 2 and "Sending" not in result.stdout
    assert f"--lrs {url!r}" in result.stderr


def test_a_failed_batch_says_how_many_went_before_it(tmp_path: Path, store: Store, record: LearningRecord,
                                                     guidance: Guidance) -> None:
    made = statements(record.contents(), guidance, Learner(learner_id(tmp_path)))
    spoiled = [*made[:2], {key: value for key, value in made[2].items() if key != "verb"}]  # no verb
    with pytest.raises(LrsError, match=r"refused the statements \(HTTP \d+\).* \(2 sent before it; sending "
                                       r"again is safe\)"):
        send_statements(spoiled, store.xapi, Credentials(USERNAME, PASSWORD), batch_size=2)
    assert len(store.held()) == 2


def test_an_empty_record_sends_nothing(tmp_path: Path) -> None:
    result = send(tmp_path, f"http://127.0.0.1:{closed_port()}/xAPI/")  # no store there: it is not asked
    assert result.returncode == 0, result.stderr
    assert "Nothing to send yet" in result.stdout and "Sending" not in result.stdout

"""Ask the room, set up: the room file of a server run (`ros1-course app --room`), the address phones join at,
and `ros1-course room export`."""

from __future__ import annotations

import argparse
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from .room_access import ROOM_FILE_VARIABLE, ROOM_JOIN_VARIABLE
from .room_store import (
    BadRoomFile,
    RoomStore,
    find_room,
    latest_room_file,
    new_presenter_key,
    new_room_file,
    normal_code,
    rooms_folder,
    write_export,
)

EVERY_ADDRESS = ("0.0.0.0", "::", "")


@dataclass(frozen=True)
class RoomRun:
    """A server run's room: its file, the first room's code, the presenter's key, the join address."""

    path: Path
    code: str
    key: str
    join: str
    resumed: bool


def reachable_host(host: str) -> str:
    """The address another device on the network uses for this machine: `host` itself, or when the server
    listens on every address, the one this machine's outgoing interface has (no packet is sent)."""
    if host not in EVERY_ADDRESS:
        return host
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            return str(probe.getsockname()[0])
        except OSError:  # no route at all (a closed network): the name this machine gives itself
            try:
                return socket.gethostbyname(socket.gethostname())
            except OSError:
                return "127.0.0.1"


def join_base(host: str, port: int) -> str:
    """The address phones open, up to the room code: http://HOST:PORT/room/."""
    shown = reachable_host(host)
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}/room/"


def prepare_room(host: str, port: int, resume: bool) -> RoomRun:
    """Open this run's room file (a new one, or with `resume` the last run's, answers and rooms kept), give it a
    new presenter key, and name it in the environment the server and its kernels inherit."""
    previous = latest_room_file() if resume else None
    if resume and previous is None:
        raise BadRoomFile(f"no earlier room to resume in {rooms_folder()}")
    path = previous or new_room_file()
    store = RoomStore(path, create=previous is None)
    try:
        key = new_presenter_key()
        store.set_presenter_key(key)
        rooms = store.rooms()
        code = rooms[-1] if rooms else store.new_room()
    finally:
        store.close()
    join = join_base(host, port)
    os.environ[ROOM_FILE_VARIABLE] = str(path)
    os.environ[ROOM_JOIN_VARIABLE] = join
    return RoomRun(path, code, key, join, previous is not None)


def room_announcement(run: RoomRun, host: str) -> str:
    """What `ros1-course app --room` prints for the presenter."""
    lines = [f"Ask the room {'(resumed: every answer so far is kept)' if run.resumed else 'is on'}: phones join at "
             f"{run.join}{run.code} (room code {run.code}).",
             f"Presenter key: {run.key} (type it in 'Ask the room' on the case app's or a lesson's self-check; "
             "keep it off the projector).",
             f"The room's answers are kept in {run.path}; after a restart, add --resume to go on with them."]
    if host not in EVERY_ADDRESS and host.startswith("127."):
        lines.append("Note: phones cannot reach 127.0.0.1. For a room, serve on the network: --host 0.0.0.0 "
                     "(and --token, so only the presenter opens the course's pages).")
    return "\n".join(lines)


def add_room_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `room export` on the command line."""
    room = commands.add_parser("room", help="the answers of 'Ask the room' (ros1-course app --room)")
    actions = room.add_subparsers(dest="action", required=True)
    export = actions.add_parser("export", help="write a room's results as CSV (no device ids, nothing personal)")
    export.add_argument("code", metavar="ROOM", help="the room's code")
    export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.csv", help="file to write")
    export.add_argument("--file", type=Path, metavar="ROOMFILE", help="the room file (default: the newest in "
                                                                      f"{rooms_folder()} that has the room)")
    export.set_defaults(run=run_export)


def run_export(args: argparse.Namespace) -> int:
    """`ros1-course room export ROOM -o FILE.csv`."""
    code = normal_code(args.code)
    path = args.file or find_room(code)
    if path is None:
        print(f"ros1-course: no room {code} in {rooms_folder()}.", file=sys.stderr)
        return 2
    try:
        store = RoomStore(path)
    except BadRoomFile as error:
        print(f"ros1-course: {error}", file=sys.stderr)
        return 2
    try:
        if not store.has_room(code):
            print(f"ros1-course: {path} has no room {code}.", file=sys.stderr)
            return 2
        rows = write_export(store, code, args.output)
    finally:
        store.close()
    print(f"Wrote {args.output}: {rows} rows (one per option of each question asked in room {code}).")
    return 0

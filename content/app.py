"""`ros1-course app`: serve the presenter app (notebooks/app.ipynb) with Voila."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
APP_NOTEBOOK = PROJECT_ROOT / "notebooks" / "app.ipynb"


def add_app_command(commands: argparse._SubParsersAction) -> None:
    """Register `app` on the command line."""
    app = commands.add_parser("app", help="serve the presenter app with Voila")
    app.add_argument("--port", type=int, default=8866)
    app.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    app.add_argument("--no-browser", action="store_true", help="do not open a browser")
    app.set_defaults(run=run_app)


def voila_command(port: int, host: str, open_browser: bool) -> list[str]:
    """The Voila command line that serves the app with the project's settings (voila.json)."""
    command = [sys.executable, "-m", "voila", str(APP_NOTEBOOK), f"--port={port}", f"--Voila.ip={host}"]
    if not open_browser:
        command.append("--no-browser")
    return command


def run_app(args: argparse.Namespace) -> int:
    """Start Voila in the foreground and print the address."""
    if not APP_NOTEBOOK.is_file():
        print(f"ros1-course: the presenter app {APP_NOTEBOOK} is not there yet.", file=sys.stderr)
        return 2
    print(f"Serving the ROS1 course app on http://{args.host}:{args.port}/ (Ctrl+C to stop)", flush=True)
    env = {**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    return subprocess.call(voila_command(args.port, args.host, not args.no_browser), cwd=PROJECT_ROOT, env=env)

"""Kernels forked from a warm process: the course's server starts one fork server (`fork_server`) and its
kernel provisioner asks it for each kernel, so a visitor's kernel skips Python's start and the imports
every course kernel makes (about 0.4 CPU-seconds each on the machine `make bench` ran on).

This is jupyter_client's own extension point (a kernel provisioner, registered as the entry point
`ros1-course-forks` and made the default of the course's server only); Voila and jupyter_server are used as
they are. A kernel it cannot fork (another kernelspec, the fork server not running or not answering) is
started as jupyter_client starts any kernel. Forked kernels are in their own process group and are watched
through a pidfd, so interrupting, killing, restarting and culling work as for any local kernel. If the fork
server dies, its kernels exit (ipykernel's parent watch), their pages show the connection banner, and the
next kernel is started afresh (a new fork server, or a plain start while it comes up).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import select
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, ClassVar

from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning.local_provisioner import LocalProvisioner

from .fork_server import MESSAGE_BYTES

PROVISIONER_NAME = "ros1-course-forks"
READY_SECONDS = 60
RESTARTS = 3
# A kernel asked for while the fork server is still starting (the pools at the server's start) waits this long
# for it, then starts as usual.
READY_WAIT_SECONDS = 10
ANSWER_SECONDS = 10
PREFIX = "ros1-course:"


class ForkServerError(RuntimeError):
    """The fork server is not running, did not answer, or refused."""


class ForkedKernel:
    """The handle of a forked kernel, with the part of `subprocess.Popen`'s interface jupyter_client uses. Its
    exit status is not known here (the fork server reaps it): an exited kernel reports 1."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, pidfd: int) -> None:
        self.pid, self._pidfd = pid, pidfd
        self.returncode: int | None = None

    def poll(self) -> int | None:
        """None while the kernel runs; 1 once it has exited."""
        if self.returncode is None and select.select([self._pidfd], [], [], 0)[0]:
            self.returncode = 1
            os.close(self._pidfd)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the kernel to exit."""
        if self.returncode is None:
            ready = select.select([self._pidfd], [], [], timeout)[0]
            if not ready:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
        return self.poll() or 1

    def send_signal(self, signum: int) -> None:
        """Signal the kernel through its pidfd (never another process that has its id since), unless it has
        exited."""
        if self.poll() is None:
            signal.pidfd_send_signal(self._pidfd, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ForkServer:
    """The server's client of its fork server: starts it, hands it requests one at a time, and replaces it when
    it has died or stopped answering (at most RESTARTS times; after that kernels start as usual). One per server
    process (`ForkServer.current`)."""

    current: ClassVar[ForkServer | None] = None

    def __init__(self, log: logging.Logger) -> None:
        self.log = log
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._control: socket.socket | None = None
        self._ready = threading.Event()
        self._restarts = 0
        self._set_aside_servers: list[tuple[subprocess.Popen[bytes], socket.socket]] = []

    @classmethod
    def start(cls, log: logging.Logger) -> ForkServer:
        """Start the fork server in the background (it is ready a second or so later) and make it current;
        its events go to this log."""
        forks = cls(log)
        forks._spawn()
        cls.current = forks
        return forks

    @property
    def pid(self) -> int | None:
        """The fork server's process id (None when there is none)."""
        return self._process.pid if self._process else None

    def _spawn(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "ros1_course.fork_server", str(theirs.fileno())],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, start_new_session=True)
        finally:
            theirs.close()
        self._control, self._ready = ours, threading.Event()
        threading.Thread(target=self._await_ready, args=(ours, self._ready, self._process), daemon=True,
                         name="fork-server-ready").start()

    def _await_ready(self, control: socket.socket, ready: threading.Event, process: subprocess.Popen[bytes]) -> None:
        try:
            answered = select.select([control], [], [], READY_SECONDS)[0]
            answer = json.loads(control.recv(MESSAGE_BYTES) or b"{}") if answered else {}
        except (OSError, ValueError):  # closed while it started
            return
        if not answered and process.poll() is None:
            process.kill()  # hung while preparing: the next kernel asked for replaces it
        if "ready" in answer:
            self.log.info("%s kernel fork server ready (process %s)", PREFIX, answer["ready"])
            ready.set()
        else:
            self.log.warning("%s the kernel fork server did not start (%s); kernels start as usual", PREFIX,
                             answer.get("error", "no answer" if not answered else "it exited"))

    def available(self, seconds: float) -> bool:
        """True when the fork server is ready for a request, waiting up to `seconds` for one that is starting.
        One that has exited is replaced; this kernel then starts as usual."""
        with self._lock:
            if self._process is not None and self._process.poll() is not None:
                self._replace(f"it exited ({self._process.returncode})")
            ready = self._ready if self._process is not None else None
        return ready is not None and ready.wait(seconds)

    def fork(self, arguments: list[str], env: dict[str, str], cwd: str) -> ForkedKernel:
        """Fork a kernel with these ipykernel arguments, environment and working directory (blocking: call it
        in a thread). Raises ForkServerError when the fork server cannot. One that refused (out of memory, say)
        goes on; one that stopped answering is set aside, its kernels left running, and replaced."""
        with self._lock:
            control = self._control
            if control is None or not self._ready.is_set():
                raise ForkServerError("the fork server is not ready")
            fds: list[int] = []
            try:
                control.send(json.dumps({"arguments": arguments, "env": env, "cwd": cwd}).encode())
                if not select.select([control], [], [], ANSWER_SECONDS)[0]:
                    self._set_aside(f"no answer in {ANSWER_SECONDS} s")
                    raise ForkServerError(f"no answer in {ANSWER_SECONDS} s")
                message, fds, _, _ = socket.recv_fds(control, MESSAGE_BYTES, 1)
                answer = json.loads(message) if message else {}
                if "error" in answer:
                    raise ForkServerError(f"it refused: {answer['error']}")
                if "pid" not in answer or len(fds) != 1:
                    raise OSError("the fork server closed its socket")
                os.set_inheritable(fds[0], False)
                return ForkedKernel(int(answer["pid"]), fds[0])
            except (OSError, ValueError) as error:
                for fd in fds:
                    os.close(fd)
                self._replace(str(error) or type(error).__name__)
                raise ForkServerError(str(error)) from error

    def _set_aside(self, reason: str) -> None:
        """Stop using a fork server that stopped answering, but keep it (and so its kernels) running until the
        server stops; start a new one (within the same RESTARTS as replacements)."""
        if self._process is not None and self._control is not None:
            self._set_aside_servers.append((self._process, self._control))
        self._process, self._control = None, None
        self._start_another(f"it stopped answering: {reason}")

    def _replace(self, reason: str) -> None:
        self.close()
        self._start_another(reason)

    def _start_another(self, reason: str) -> None:
        if self._restarts >= RESTARTS:
            self.log.warning("%s the kernel fork server failed (%s) %d times; kernels start as usual from now on",
                             PREFIX, reason, RESTARTS + 1)
            return
        self._restarts += 1
        self.log.warning("%s the kernel fork server failed (%s); starting a new one", PREFIX, reason)
        self._spawn()

    def close(self) -> None:
        """Stop the fork server (the kernels it forked go with it)."""
        if self._control is not None:
            self._control.close()  # the fork server stops when its socket closes
            self._control = None
        if self._process is not None:
            try:
                self._process.wait(5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(5)
            self._process = None


def forkable(cmd: list[str]) -> list[str] | None:
    """The ipykernel arguments of a command the fork server can run (`<this python> -m ipykernel_launcher
    -f FILE`), or None."""
    if len(cmd) == 5 and cmd[1:4] == ["-m", "ipykernel_launcher", "-f"] \
            and Path(cmd[0]).resolve() == Path(sys.executable).resolve():
        return cmd[3:]
    return None


class ForkingProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, with kernels forked by the server's fork server when it runs."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        forks, arguments = ForkServer.current, forkable(cmd)
        if forks is None or arguments is None or not await asyncio.to_thread(forks.available, READY_WAIT_SECONDS):
            return await super().launch_kernel(cmd, **kwargs)
        env = {str(key): str(value) for key, value in (kwargs.get("env") or os.environ).items()}
        cwd = str(kwargs.get("cwd") or Path.cwd())
        try:
            process = await asyncio.to_thread(forks.fork, arguments, env, cwd)
        except ForkServerError as error:
            self.log.warning("%s could not fork a kernel (%s); starting it as usual", PREFIX, error)
            return await super().launch_kernel(cmd, **kwargs)
        # ForkedKernel has the part of Popen's interface that LocalProvisioner and jupyter_client use.
        self.process = process  # type: ignore[assignment]
        self.pid, self.pgid, self.cwd = process.pid, process.pid, cwd
        return self.connection_info

    async def send_signal(self, signum: int) -> None:
        """Signal the kernel's process group as LocalProvisioner does, but never once the kernel has exited: the
        fork server reaps it within a second, so its group's id may be another's by then."""
        process: Any = self.process  # a ForkedKernel where the annotation says Popen
        if isinstance(process, ForkedKernel) and process.poll() is not None:
            return
        await super().send_signal(signum)

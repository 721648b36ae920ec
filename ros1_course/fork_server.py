"""The kernel fork server: one process that has imported what every course kernel imports (ipykernel,
IPython, ipywidgets, the course's widgets and documents, with their templates compiled) and forks a kernel
for each request, so a visitor's kernel starts without paying Python's and these imports' start-up again.

It is started by the course's server (`kernel_forks.ForkServer`), talks to it over one Unix socket (its fd
is the one argument)
and stops when the server goes. A request is one JSON message: the kernel's ipykernel arguments, its
environment and its working directory. The reply is the forked kernel's process id, with a pidfd of it
(SCM_RIGHTS), by which the server watches it. Forked kernels are this process's children: it reaps them.
Nothing that depends on a visitor or on the content's version (the guidance, the snapshot) is loaded here:
each kernel loads those itself, so a content change reaches the next kernel as before.

Run as `python -m ros1_course.fork_server FD` (by the server only).
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import json
import os
import select
import signal
import socket
import sys
import threading
import traceback
from pathlib import Path
from typing import Any

MESSAGE_BYTES = 1 << 20
# What a course kernel imports before and while it shows its page (a kernel's own start, then app.ipynb and
# the lessons' first cells).
PRELOAD = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.comm", "comm",
           "IPython.display", "ipywidgets", "jinja2", "markupsafe",
           "content", "widgets", "ros1_course.documents", "ros1_course.navigation", "ros1_course.lesson")


def preload() -> None:
    """Import what every kernel needs and compile the course's templates, in this process, once."""
    for module in PRELOAD:
        importlib.import_module(module)
    from widgets.render import environment

    for package in ("widgets", "ros1_course"):
        templates = environment(package)
        for name in templates.list_templates():
            templates.get_template(name)


def reap_children() -> None:
    """Collect every kernel that has exited (the server saw its exit through its pidfd)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def run_kernel(request: dict[str, Any], control: socket.socket, parent: int) -> None:
    """In the forked child: become the kernel the request asks for (as `python -m ipykernel_launcher ARGS`
    started in its working directory with its environment would), and exit when it stops. `parent` is the
    fork server's process id, read before the fork (if it died since, the kernel's parent watch sees that)."""
    code: int = 1
    try:
        control.close()
        os.setpgid(0, 0)  # its own process group, so signals to the kernel's group reach only the kernel
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        cwd, arguments = str(request["cwd"]), [str(argument) for argument in request["arguments"]]
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update({str(key): str(value) for key, value in request["env"].items()})
        # ipykernel exits when its parent changes: the parent is this fork server, which goes with the server.
        # (ipykernel read JPY_PARENT_PID when this process imported it, so the kernel is told on its command line.)
        os.environ["JPY_PARENT_PID"] = str(parent)
        arguments.append(f"--IPKernelApp.parent_handle={parent}")
        from ipykernel import kernelapp

        launcher = importlib.util.find_spec("ipykernel_launcher")
        sys.argv = [str(launcher.origin if launcher else "ipykernel_launcher"), *arguments]
        kernelapp.launch_new_instance(argv=arguments)
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):  # the kernel's streams may be closed already; exit regardless
                stream.flush()
        # Not sys.exit: the atexit handlers and finally blocks this process inherited are the fork server's.
        os._exit(code)


def fork_kernel(request: dict[str, Any], control: socket.socket) -> tuple[int, int]:
    """Fork the kernel a request asks for: its process id and a pidfd of it."""
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        run_kernel(request, control, parent)
    # Also here, so the group exists before the server can signal it (unless the child set it first or has
    # already exited: its pidfd shows that).
    with contextlib.suppress(OSError):
        os.setpgid(pid, pid)
    try:
        return pid, os.pidfd_open(pid)
    except OSError:
        os.kill(pid, signal.SIGKILL)  # a kernel the server could not watch would run unmanaged
        raise


def serve(control: socket.socket) -> None:
    """Fork a kernel for each request until the server closes its end of the socket. A request that fails
    (out of memory or processes, a bad message) is answered with the error: this process, and the kernels
    it forked, go on."""
    while True:
        reap_children()
        ready, _, _ = select.select([control], [], [], 1.0)
        if not ready:
            continue
        message = control.recv(MESSAGE_BYTES)
        if not message:
            return
        try:
            pid, pidfd = fork_kernel(json.loads(message), control)
        except (OSError, ValueError, KeyError, TypeError) as error:
            control.send(json.dumps({"error": f"{type(error).__name__}: {error}"}).encode())
            continue
        try:
            socket.send_fds(control, [json.dumps({"pid": pid}).encode()], [pidfd])
        finally:
            os.close(pidfd)


def main() -> None:
    """Preload, tell the server it is ready (or why not), and serve its requests."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C at the server's terminal is the server's to handle
    control = socket.socket(fileno=int(sys.argv[1]))
    if sys.path and Path(sys.path[0]) == Path.cwd():
        del sys.path[0]  # as ipykernel_launcher does: a kernel's imports do not come from the server's folder
    try:
        preload()
        if threading.active_count() != 1:  # forking a process with threads could copy a held lock
            raise RuntimeError(f"{threading.active_count()} threads after the imports; forking needs one")
    except Exception as error:
        control.send(json.dumps({"error": f"{type(error).__name__}: {error}"}).encode())
        raise
    control.send(json.dumps({"ready": os.getpid()}).encode())
    serve(control)


if __name__ == "__main__":
    main()

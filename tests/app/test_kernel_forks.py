"""Kernels forked by the course's fork server, with real kernels and jupyter_client's own kernel manager: they
run in the working directory and environment they were asked for, in a process group of their own; they answer,
can be interrupted, restarted and shut down as any kernel; a kernel the fork server cannot make starts as usual;
and when the fork server dies its kernels go, and the next kernel is forked by a new one."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import psutil
import pytest
from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning.factory import KernelProvisionerFactory

from ros1_course.kernel_forks import PROVISIONER_NAME, RESTARTS, ForkedKernel, ForkServer, forkable

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


@pytest.fixture
def forks() -> Iterator[ForkServer]:
    """A fork server of the test's own, made the provisioner's, as the course's server does."""
    factory = KernelProvisionerFactory.instance()
    before = factory.default_provisioner_name
    factory.default_provisioner_name = PROVISIONER_NAME
    started = ForkServer.start(logging.getLogger("test-forks"))
    assert started.available(60), "the fork server did not become ready"
    yield started
    started.close()
    ForkServer.current = None
    factory.default_provisioner_name = before


@asynccontextmanager
async def kernel(**launch: object) -> AsyncIterator[tuple[AsyncKernelManager, AsyncKernelClient]]:
    manager = AsyncKernelManager()
    await manager.start_kernel(cwd=str(NOTEBOOKS), **launch)
    client = manager.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=60)
        yield manager, client
    finally:
        client.stop_channels()
        await manager.shutdown_kernel(now=True)


async def run(client: AsyncKernelClient, code: str) -> str:
    """What the code prints, or the name of the error it raised."""
    printed: list[str] = []

    def collect(message: dict[str, object]) -> None:
        content = message["content"]
        assert isinstance(content, dict)
        if message["msg_type"] == "stream":
            printed.append(str(content["text"]))
        elif message["msg_type"] == "error":
            printed.append(str(content["ename"]))

    await client.execute_interactive(code, output_hook=collect, timeout=60)
    return "".join(printed).strip()


def fork_server_process(forks: ForkServer) -> psutil.Process:
    assert forks.pid is not None
    return psutil.Process(forks.pid)


def test_a_forked_kernel_runs_where_and_as_it_was_asked(forks: ForkServer) -> None:
    async def check() -> None:
        env = {**os.environ, "ROS1_COURSE_FORK_TEST": "asked-for"}
        async with kernel(env=env) as (manager, client):
            provisioner = manager.provisioner
            assert isinstance(getattr(provisioner, "process", None), ForkedKernel)
            pid = getattr(provisioner, "pid", 0)
            process = psutil.Process(pid)
            assert process.ppid() == fork_server_process(forks).pid  # forked, not started afresh
            assert os.getpgid(pid) == pid  # its own process group: signals to the group reach only the kernel
            asked = "import os; print(os.getcwd(), os.environ['ROS1_COURSE_FORK_TEST'], os.getpid())"
            answer = await run(client, asked)
            assert answer == f"{NOTEBOOKS} asked-for {pid}"
            # The course's content is loaded by each kernel, never inherited from the fork server.
            loaded = "from content.guidance import _course_guidance as g; print(g.cache_info().currsize)"
            assert await run(client, loaded) == "0"

    asyncio.run(check())


def test_a_forked_kernel_is_interrupted_restarted_and_shut_down_as_any_kernel(forks: ForkServer) -> None:
    async def check() -> None:
        async with kernel() as (manager, client):
            sleeping = asyncio.ensure_future(run(client, "import time; time.sleep(60)"))
            await asyncio.sleep(1.5)
            await manager.interrupt_kernel()
            assert await asyncio.wait_for(sleeping, 30) == "KeyboardInterrupt"
            first = getattr(manager.provisioner, "pid", 0)
            await manager.restart_kernel(now=True)
            await client.wait_for_ready(timeout=60)
            second = getattr(manager.provisioner, "pid", 0)
            assert second != first
            assert await run(client, "print(1 + 1)") == "2"
        assert not await manager.is_alive()
        await asyncio.sleep(1.5)  # the fork server reaps within a second
        assert not psutil.pid_exists(first)
        assert not psutil.pid_exists(second)

    asyncio.run(check())


def test_when_the_fork_server_dies_its_kernels_go_and_a_new_one_forks_the_next(forks: ForkServer) -> None:
    async def check() -> None:
        async with kernel() as (manager, _):
            dead = fork_server_process(forks)
            orphan = psutil.Process(getattr(manager.provisioner, "pid", 0))
            dead.kill()
            orphan.wait(15)  # ipykernel's watch on its parent ends it
            assert not await manager.is_alive()
        async with kernel() as (manager, client):
            assert isinstance(getattr(manager.provisioner, "process", None), ForkedKernel)
            forked_by = psutil.Process(getattr(manager.provisioner, "pid", 0)).ppid()
            assert forked_by == fork_server_process(forks).pid != dead.pid
            assert await run(client, "print('answers')") == "answers"

    asyncio.run(check())


def test_a_fork_server_that_keeps_dying_is_given_up_and_kernels_start_as_usual(forks: ForkServer) -> None:
    for _ in range(RESTARTS + 1):
        assert forks.available(60)
        fork_server_process(forks).kill()
        fork_server_process(forks).wait(10)
    assert not forks.available(1)
    assert forks.pid is None

    async def check() -> None:
        async with kernel() as (manager, client):
            assert not isinstance(getattr(manager.provisioner, "process", None), ForkedKernel)
            assert await run(client, "print('answers')") == "answers"

    asyncio.run(check())


def test_only_this_python_running_ipykernel_is_forked() -> None:
    assert forkable([sys.executable, "-m", "ipykernel_launcher", "-f", "kernel-1.json"]) == ["-f", "kernel-1.json"]
    assert forkable(["/usr/bin/other-python", "-m", "ipykernel_launcher", "-f", "kernel-1.json"]) is None
    assert forkable([sys.executable, "-m", "ipykernel_launcher", "-f", "kernel-1.json", "--debug"]) is None
    assert forkable(["R", "--slave", "-e", "IRkernel::main()", "--args", "kernel-1.json"]) is None


def test_a_refused_request_leaves_the_fork_server_and_its_kernels_running(forks: ForkServer) -> None:
    async def check() -> None:
        async with kernel() as (manager, client):
            assert isinstance(getattr(manager.provisioner, "process", None), ForkedKernel)
            with forks._lock:  # a request it cannot carry out, as a fork that fails for want of memory would be
                assert forks._control is not None
                forks._control.send(b"not a request")
                assert "error" in json.loads(forks._control.recv(4096))
            assert await run(client, "print('still here')") == "still here"
        async with kernel() as (manager, _):
            assert isinstance(getattr(manager.provisioner, "process", None), ForkedKernel)

    asyncio.run(check())


def test_a_fork_server_that_stops_answering_is_set_aside_with_its_kernels_running(forks: ForkServer) -> None:
    async def check() -> None:
        async with kernel() as (manager, client):
            assert isinstance(getattr(manager.provisioner, "process", None), ForkedKernel)
            hung = fork_server_process(forks)
            hung.suspend()
            try:
                async with kernel() as (later, later_client):  # waits for the answer, then starts as usual
                    assert not isinstance(getattr(later.provisioner, "process", None), ForkedKernel)
                    assert await run(later_client, "print('served')") == "served"
                assert await run(client, "print('still here')") == "still here"
                assert forks.available(60) and forks.pid != hung.pid
                async with kernel() as (after, _):
                    forked_by = psutil.Process(getattr(after.provisioner, "pid", 0)).ppid()
                    assert forked_by == forks.pid
            finally:
                hung.resume()
                hung.kill()

    asyncio.run(check())

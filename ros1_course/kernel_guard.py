"""Keeping a training room's pages honest when kernels die, and the server within its memory.

Voila 0.5.13 hands a visitor the first page of its preheated pool whatever became of it: a pool kernel that
died (out of memory, a crash) and was brought back by the restarter without the page's state, or whose
preheated run raised, gives the next visitor "Error displaying widget: model not found" or a server error
(voila-dashboards/voila#1178 and #1411 report this area). This guard uses Voila's own kernel manager and pool
as they are and changes three of the manager's answers, on the instance, with no copy of Voila's code:

- `get_pool_size(page)` counts only preheated pages that are ready and healthy (render finished without a
  cell error; kernel process alive and never restarted), and puts them first in the pool, since Voila takes
  the first; broken ones are dropped, their kernels shut down, and the pool refilled. With none ready, Voila
  starts a fresh kernel for the visitor, as on a cold start.
- `fill_if_needed(...)` never starts more kernels than the visitor cap leaves room for.
- a check every few seconds does the same for every pool, so a pool whose kernels were all killed refills
  with no visitor asking, and any kernel that dies and is restarted is logged once, with its page.
- each look at a pool marks its kernels active. A preheated copy's last activity was the end of its preheating,
  so one that had waited longer than `cull_idle_timeout` was culled in the moment after Voila handed it to a
  visitor, before the visitor's page connected, and that page never came up (the log said: "Culling 'idle'
  kernel ... with 0 connections due to 18 seconds of inactivity" just after "Using pre-heated kernel").

`admit(page)` decides, before a kernel starts, whether a visitor gets the page or the "course is full" page.
Each event is one line in the server log. When Voila's pool itself discards broken kernels, drop this module.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tornado.ioloop import PeriodicCallback

from .memory import return_freed_memory

CHECK_EVERY_MS = 3000
# A visitor who arrives while the page's preheated copies are still running waits this long for one (as in
# Voila) before getting a fresh kernel of their own.
PREHEAT_WAIT_SECONDS = 30
# Preheated copies of a page that fail this many times in a row (a cell that always raises) stop being made.
GIVE_UP_AFTER = 5
PREFIX = "ros1-course:"


@dataclass
class PoolEntry:
    """What the guard reads of one of Voila's pool items (an asyncio task)."""

    task: asyncio.Future[Any]

    @property
    def started(self) -> bool:
        return self.task.done() and not self.task.cancelled() and self.task.exception() is None

    @property
    def kernel_id(self) -> str | None:
        return str(self.task.result()["kernel_id"]) if self.started else None

    def render_state(self, error_text: str) -> str:
        """'pending' (still preheating), 'ok', or what went wrong."""
        if not self.task.done():
            return "pending"
        if self.task.cancelled() or self.task.exception() is not None:
            return f"its kernel did not start ({self.task.exception()!r})" if not self.task.cancelled() else "cancelled"
        render = self.task.result()["task"]
        if not render.done():
            return "pending"
        if render.cancelled():
            return "its preheated run was cancelled"
        if render.exception() is not None:
            return f"its preheated run failed ({type(render.exception()).__name__})"
        if render not in _VERDICTS:  # a finished render never changes: read its HTML once
            rendered, _generator = render.result()
            _VERDICTS[render] = bool(error_text) and any(error_text in snippet for snippet in rendered)
        return "a cell of its preheated run raised" if _VERDICTS[render] else "ok"


_VERDICTS: weakref.WeakKeyDictionary[asyncio.Future[Any], bool] = weakref.WeakKeyDictionary()


def _settled(task: asyncio.Future[Any]) -> None:
    """Take a discarded task's outcome (its failure was already logged in one line), so that asyncio does not
    log it again with a traceback."""
    if not task.cancelled():
        task.exception()


def _let_go(entry: PoolEntry) -> None:
    """A pool entry leaves the pool unserved: its tasks' outcomes are taken when they end."""
    entry.task.add_done_callback(_settled)
    if entry.started:
        entry.task.result()["task"].add_done_callback(_settled)


class KernelGuard:
    """See the module's docstring. `error_text` is what a failed cell shows (VoilaExecutor's
    cell_error_instruction); `max_visitors` caps the kernels of visitors and pools together."""

    def __init__(self, kernel_manager: Any, log: logging.Logger, error_text: str, max_visitors: int) -> None:
        self.km = kernel_manager
        self.log = log
        self.error_text = error_text
        self.max_visitors = max_visitors
        self.restarted: set[str] = set()
        self.watched: set[str] = set()
        self._fill = kernel_manager.fill_if_needed
        self._shutdowns: set[asyncio.Future[None]] = set()
        self._waiting: dict[str, int] = {}
        self._had_visitors = False
        self.arriving = 0  # admitted visitors whose page is still being served (their kernel may not exist yet)
        self._failures: dict[str, int] = {}

    def install(self) -> None:
        """Take over the pool answers on this kernel manager and start the periodic check."""
        self.km.get_pool_size = self.ready_count
        self.km.fill_if_needed = self.fill_within_cap
        PeriodicCallback(self.check, CHECK_EVERY_MS).start()

    # --- the pools --------------------------------------------------------------------------------
    def pools(self) -> dict[str, list[asyncio.Future[Any]]]:
        pools: dict[str, list[asyncio.Future[Any]]] = self.km._pools
        return pools

    def pooled_kernel_ids(self) -> set[str]:
        return {kid for pool in self.pools().values() for kid in (PoolEntry(t).kernel_id for t in pool) if kid}

    def pool_tasks(self) -> int:
        return sum(len(pool) for pool in self.pools().values())

    def kernel_dead(self, kernel_id: str) -> bool:
        """True when the kernel is gone, its process has exited, or it was restarted (its state is lost)."""
        if kernel_id in self.restarted or kernel_id not in self.km:
            return True
        process = getattr(getattr(self.km.get_kernel(kernel_id), "provisioner", None), "process", None)
        return process is not None and process.poll() is not None

    def health(self, entry: PoolEntry) -> str:
        """'pending', 'ok', or the reason the preheated page must not be served."""
        state = entry.render_state(self.error_text)
        kernel_id = entry.kernel_id
        if kernel_id:
            self.watch(kernel_id)
            if self.kernel_dead(kernel_id):
                return "its kernel died" if kernel_id not in self.restarted else "its kernel died and was restarted"
        return state

    def sort_and_purge(self, page: str) -> int:
        """Drop the broken entries of a page's pool, put the ready ones first; return how many are ready."""
        pool = self.pools().get(page, [])
        ready, pending = [], []
        for task in list(pool):
            entry = PoolEntry(task)
            state = self.health(entry)
            if state == "ok":
                ready.append(task)
                self._failures[page] = 0
            elif state == "pending":
                pending.append(task)
            else:
                self.discard(page, entry, state)
        pool[:] = ready + pending
        self.keep_awake(pool)
        failing = self._failures.get(page, 0) >= GIVE_UP_AFTER
        if len(pool) < self.km.kernel_pools_config.get(page, {}).get("pool_size", 0) and not failing:
            self.fill_within_cap(delay=0, notebook_name=page)
        return len(ready)

    def keep_awake(self, pool: list[asyncio.Future[Any]]) -> None:
        """Mark the started kernels of a pool active now: Voila looks at the pool just before it hands a copy to a
        visitor, whose page then has a full `cull_idle_timeout` to connect before the idle culler may take it."""
        for kernel_id in filter(None, (PoolEntry(task).kernel_id for task in pool)):
            if kernel_id in self.km:
                self.km.get_kernel(kernel_id).last_activity = datetime.now(UTC)  # as jupyter_server keeps it

    async def settle_pool(self, page: str, timeout: float = PREHEAT_WAIT_SECONDS) -> None:
        """Wait (at most `timeout` seconds) until the page's pool has a healthy copy ready, or has no copy
        still preheating: a visitor who arrives during preheating gets the preheated page as soon as it is
        known to be good, never before."""
        deadline = asyncio.get_running_loop().time() + timeout
        while self.sort_and_purge(page) == 0:
            preheating = [entry.task if not entry.task.done() else entry.task.result()["task"]
                          for entry in map(PoolEntry, self.pools().get(page, []))
                          if entry.render_state(self.error_text) == "pending"]
            remaining = deadline - asyncio.get_running_loop().time()
            # one visitor waits per copy preheating; the rest of a rush starts fresh kernels at once
            if len(preheating) <= self._waiting.get(page, 0) or remaining <= 0:
                return
            self._waiting[page] = self._waiting.get(page, 0) + 1
            try:
                await asyncio.wait(preheating, timeout=min(remaining, CHECK_EVERY_MS / 1000),
                                   return_when=asyncio.FIRST_COMPLETED)
            finally:
                self._waiting[page] -= 1

    def ready_count(self, page: str) -> int:
        """Voila's `get_pool_size`: the preheated pages ready to serve, healthy ones only, first in line."""
        return self.sort_and_purge(page)

    def discard(self, page: str, entry: PoolEntry, reason: str) -> None:
        _let_go(entry)
        kernel_id = entry.kernel_id
        self._failures[page] = self._failures.get(page, 0) + 1
        then = ("preheating stops for this page: its visitors get fresh kernels" if
                self._failures[page] >= GIVE_UP_AFTER else "another copy will be preheated")
        self.log.warning("%s page %s: a preheated copy was not served because %s; kernel %s shut down; %s",
                         PREFIX, page, reason, kernel_id or "(none)", then)
        if kernel_id and kernel_id in self.km:
            self.shut_down(kernel_id)

    def shut_down(self, kernel_id: str) -> None:
        """Shut a kernel down in the background (keeping a reference until it is done)."""
        shutdown = asyncio.ensure_future(self._shut_down(kernel_id))
        self._shutdowns.add(shutdown)
        shutdown.add_done_callback(self._shutdowns.discard)

    async def _shut_down(self, kernel_id: str) -> None:
        try:
            await self.km.shutdown_kernel(kernel_id, now=True)
        except Exception as error:  # already gone: nothing to do but say so
            self.log.info("%s kernel %s was already gone (%s)", PREFIX, kernel_id, type(error).__name__)

    # --- the cap --------------------------------------------------------------------------------
    def visitors(self) -> int:
        """Visitors served or being served: every kernel that is not a pool's, and the visitors admitted whose
        page is still on its way (counted twice while their kernel renders: the cap errs on the safe side)."""
        return len(set(self.km.list_kernel_ids()) - self.pooled_kernel_ids()) + self.arriving

    def room(self) -> int:
        """How many more kernels may start: the cap less the visitors' kernels and the pools' (started or
        starting)."""
        return self.max_visitors - self.visitors() - self.pool_tasks()

    def fill_within_cap(self, delay: float | None = None, notebook_name: str | None = None, **kwargs: Any) -> None:
        """Voila's `fill_if_needed`, starting no more kernels than the cap leaves room for."""
        config = self.km.kernel_pools_config
        wanted = config.get(notebook_name, config.get("default", {})).get("pool_size", 0)
        pool = self.pools().get(notebook_name or "", [])
        allowed = min(wanted, len(pool) + max(self.room(), 0))
        if allowed <= len(pool):
            return
        if allowed == wanted:
            self._fill(delay=delay, notebook_name=notebook_name, **kwargs)
            return
        saved = config.get(notebook_name)
        config[notebook_name] = {**(saved or config.get("default", {})), "pool_size": allowed}
        try:
            self._fill(delay=delay, notebook_name=notebook_name, **kwargs)
        finally:
            if saved is None:
                config.pop(notebook_name, None)
            else:
                config[notebook_name] = saved

    def admit(self, page: str) -> bool:
        """Whether a new visitor of `page` gets it: yes while fewer visitors than the cap are served or on their
        way. An admitted visitor counts until `served` is called."""
        if self.visitors() >= self.max_visitors:
            self.log.warning("%s page %s: a visitor was shown the 'course is full' page (%d of %d visitors' "
                             "places taken)", PREFIX, page, self.visitors(), self.max_visitors)
            return False
        self.arriving += 1
        return True

    def served(self) -> None:
        """An admitted visitor's page has been sent (or failed): their kernel now counts for them."""
        self.arriving -= 1

    def make_room(self, page: str) -> None:
        """Before a visitor of `page` starts a new kernel (no preheated copy ready): at the cap, shut down a
        preheated kernel, another page's first."""
        if self.sort_and_purge(page) == 0 and self.room() <= 0:
            self.free_a_pool_place(page)

    def free_a_pool_place(self, page: str) -> None:
        pools = sorted(self.pools().items(), key=lambda item: item[0] == page)  # other pages first
        for other, pool in pools:
            if pool:
                task = pool.pop()
                entry = PoolEntry(task)
                _let_go(entry)
                self.log.info("%s page %s: a preheated kernel of %s was shut down to make room for a visitor",
                              PREFIX, page, other)
                if entry.kernel_id:
                    self.shut_down(entry.kernel_id)
                else:
                    task.add_done_callback(self._shut_down_when_started)
                return

    def _shut_down_when_started(self, task: asyncio.Future[Any]) -> None:
        entry = PoolEntry(task)
        _let_go(entry)
        if entry.kernel_id:
            self.shut_down(entry.kernel_id)

    def page_of(self, kernel_id: str) -> str:
        """The page a kernel serves: from Voila's pool records, or the request that started it."""
        page = self.km._get_notebook_from_kernel(kernel_id)
        if page:
            return str(page)
        launch = getattr(self.km.get_kernel(kernel_id), "_launch_args", {}) if kernel_id in self.km else {}
        script = str(launch.get("env", {}).get("SCRIPT_NAME", ""))
        return script.rsplit("/", 1)[-1] or "a page"

    # --- the periodic check -------------------------------------------------------------------------
    def watch(self, kernel_id: str) -> None:
        """Be told when this kernel is restarted after dying, or given up as dead."""
        if kernel_id in self.watched or kernel_id not in self.km:
            return
        self.watched.add(kernel_id)
        self.km.add_restart_callback(kernel_id, self._restarted_callback(kernel_id), "restart")
        self.km.add_restart_callback(kernel_id, self._restarted_callback(kernel_id, dead=True), "dead")

    def _restarted_callback(self, kernel_id: str, dead: bool = False) -> Callable[[], None]:
        def note() -> None:
            self.restarted.add(kernel_id)
            page = self.page_of(kernel_id)
            what = "died and could not be restarted" if dead else "died; it was restarted without its page's state"
            self.log.warning("%s %s: kernel %s %s; its page shows the reload banner", PREFIX, page, kernel_id, what)

        return note

    def check(self) -> None:
        """Every few seconds: watch every kernel, purge and refill every pool, give memory back after a class."""
        for kernel_id in self.km.list_kernel_ids():
            self.watch(kernel_id)
        for page in self.km.kernel_pools_config:
            if page != "default":
                self.sort_and_purge(page)
        self.after_the_class()

    def after_the_class(self) -> None:
        """When the last visitor's kernel has gone, give the memory their pages used back to the system."""
        if self.visitors() > 0:
            self._had_visitors = True
        elif self._had_visitors:
            self._had_visitors = False
            before, after = return_freed_memory()
            self.log.info("%s no visitors left: server memory %.0f MiB, %.0f MiB after returning freed memory",
                          PREFIX, before, after)

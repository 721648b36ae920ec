"""Giving memory back after a class: Python frees the objects of closed pages, but the C allocator keeps the
freed heap for later unless asked to return it. On Linux (glibc) `malloc_trim` returns it to the system; on
other systems this does nothing."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc

import psutil

LIBC = ctypes.util.find_library("c")  # looked up once: it runs ldconfig


def return_freed_memory() -> tuple[float, float]:
    """Collect garbage and return freed heap to the system; the server's resident memory (MiB) before and
    after."""
    process = psutil.Process()
    before = process.memory_info().rss / 2**20
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim with
        if LIBC:
            ctypes.CDLL(LIBC).malloc_trim(0)
    return before, process.memory_info().rss / 2**20

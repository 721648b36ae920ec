"""Run inside the static site's own Pyodide by `run.mjs`, for page_bytecode.py (never imported by the course).

Reads `/out/request.json` (`modules`: what a page imports), imports each, then writes an unchecked-hash .pyc
(PEP 552) of every imported module that was compiled from source: `/out/stdlib/<name in the standard library's
zip>.pyc` or `/out/site/<path under site-packages>.pyc`, and `/out/report.json` (the cache tag, and the modules
that failed to import and why).
"""

import importlib.util
import json
import marshal
import sys
from pathlib import Path

OUT = Path("/out")
STDLIB_ZIP = f"/lib/python{sys.version_info.major}{sys.version_info.minor}.zip/"
SITE_PACKAGES = f"/lib/python{sys.version_info.major}.{sys.version_info.minor}/site-packages/"
UNCHECKED_HASH = 0b01  # PEP 552 flags: hash-based, source not checked at import


def pyc(source: bytes, filename: str) -> bytes:
    """The .pyc of `source`, compiled as Python compiles it at import (its tracebacks name `filename`)."""
    code = compile(source, filename, "exec", dont_inherit=True)
    header = importlib.util.MAGIC_NUMBER + UNCHECKED_HASH.to_bytes(4, "little") + importlib.util.source_hash(source)
    return header + marshal.dumps(code)


def imported_sources() -> dict[str, tuple[str, bytes]]:
    """Each module imported from source: where its .pyc goes under /out, its file and its source."""
    sources: dict[str, tuple[str, bytes]] = {}
    for module in list(sys.modules.values()):
        spec = getattr(module, "__spec__", None)
        origin = (spec and spec.origin) or ""
        if spec is None or spec.loader is None or not origin.endswith(".py"):
            continue
        if origin.startswith(STDLIB_ZIP):
            target = f"stdlib/{origin.removeprefix(STDLIB_ZIP)}c"
        elif origin.startswith(SITE_PACKAGES):
            target = f"site/{origin.removeprefix(SITE_PACKAGES)}c"
        else:
            continue
        sources[target] = (origin, spec.loader.get_data(origin))  # zipimport and file loaders both read it
    return sources


def main() -> None:
    """Import what a page imports; write the .pyc files and the report."""
    request = json.loads((OUT / "request.json").read_text(encoding="utf-8"))
    failed: dict[str, str] = {}
    for name in request["modules"]:
        try:
            importlib.import_module(name)
        except Exception as error:  # a page's import that fails here fails on the page too: reported, not fatal
            failed[name] = f"{type(error).__name__}: {error}"
    sources = imported_sources()
    for target, (origin, source) in sorted(sources.items()):
        path = OUT / target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pyc(source, origin))
    report = {"cache_tag": sys.implementation.cache_tag, "failed": failed}
    (OUT / "report.json").write_text(json.dumps(report, indent=1), encoding="utf-8")


main()

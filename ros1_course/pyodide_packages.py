"""The Python packages a course page's kernel needs in the browser (Pyodide), as wheels the static site ships,
with the lock entries that let Pyodide load them at kernel start.

The npm `pyodide` package holds the interpreter and its standard library, and a lock file naming packages it
does not hold. So the static site writes its own lock: one entry per wheel it ships, nothing else. Which wheels:
the closure of `KERNEL_ROOTS` over each wheel's own requirements, evaluated for Pyodide (Emscripten, its Python
version), at the versions requirements.lock pins, so the browser runs what CI tested. A requirement with no pin
is an error naming it. Every wheel must be pure Python; MarkupSafe ships only compiled wheels, so its
pure-Python fallback (the package without its optional C speedups) is packed from its source release.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from email.parser import Parser
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import Version

# What a page's kernel imports: IPython and the widgets (the kernel itself), the course's templates (Jinja2
# and MarkupSafe) and the learning record (platformdirs; it takes no file lock in the browser).
KERNEL_ROOTS = ("ipython", "ipywidgets", "comm", "jinja2", "markupsafe", "traitlets", "platformdirs")
# Required by ipywidgets' metadata but never imported by a kernel: they hold the widgets' JavaScript for
# Jupyter's front ends, and the static page has its own (Voici's bundle). 2.4 MB not shipped.
NOT_IMPORTED = frozenset({"widgetsnbextension", "jupyterlab-widgets"})
# The Pyodide kernel installs these at start unless they are loaded already, and a course page needs neither:
# an empty package of the same name stands in. IPython keeps no history without sqlite3 (Pyodide's build of it
# is not in its npm package) and completes no code without jedi (a Voici page has no code to complete; 5.3 MB
# with parso not shipped); it imports each inside a try and goes on without it.
STAND_INS = {"sqlite3": "1.0.0", "jedi": "0.0.0"}
# Built from the source release's Python files: no pure wheel is published, and the package falls back to its
# Python implementation when its compiled part is missing.
PURE_FROM_SOURCE = frozenset({"markupsafe"})
# What the Pyodide kernel installs at start unless the page has loaded it (spelled as the kernel looks for them;
# Pyodide's lock normalises the names): its own wheels (jupyterlite-pyodide-kernel's), the package manager and
# what IPython needs. The page loads them all at once, with the course, from the site's lock.
KERNEL_START_PACKAGES = ("piplite", "pyodide_kernel", "ipykernel", "comm", "ipython", "micropip", *STAND_INS)
# Every project a page loads from the index: the kernel's imports, the package manager the Pyodide kernel
# starts (micropip, with packaging, which Pyodide loads for it) and the stand-ins.
INDEX_ROOTS = (*KERNEL_ROOTS, "micropip", "packaging", *STAND_INS)


def pyodide_markers(python: str) -> dict[str, str]:
    """The environment markers of Pyodide with this Python version ('3.13.2')."""
    return {"sys_platform": "emscripten", "platform_system": "Emscripten", "os_name": "posix",
            "platform_machine": "wasm32", "implementation_name": "cpython",
            "platform_python_implementation": "CPython", "python_version": ".".join(python.split(".")[:2]),
            "python_full_version": python, "platform_release": "", "platform_version": "",
            "implementation_version": python, "extra": ""}


def locked_versions(lock: Path) -> dict[str, str]:
    """Every `name==version` pin of a requirements file, by canonical name."""
    pins: dict[str, str] = {}
    for number, line in enumerate(lock.read_text(encoding="utf-8").splitlines(), start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        match = re.fullmatch(r"([A-Za-z0-9._-]+)==([A-Za-z0-9.+!_-]+)", text)
        if not match:
            raise ValueError(f"{lock}:{number}: not a 'name==version' pin: {text!r}")
        pins[canonicalize_name(match[1])] = match[2]
    return pins


@dataclass(frozen=True)
class Wheel:
    """A wheel the site ships: its file, project name and version, the modules it provides and the projects it
    needs (canonical names)."""

    path: Path
    name: str
    version: str
    imports: tuple[str, ...]
    depends: tuple[str, ...] = ()

    def lock_entry(self) -> dict[str, object]:
        """This wheel's entry in Pyodide's lock file."""
        return {"name": self.name, "version": self.version, "file_name": self.path.name, "install_dir": "site",
                "sha256": hashlib.sha256(self.path.read_bytes()).hexdigest(), "package_type": "package",
                "imports": list(self.imports), "depends": list(self.depends), "unvendored_tests": False,
                "shared_library": False}


def wheel_metadata(path: Path) -> tuple[str, str, list[str], tuple[str, ...]]:
    """A wheel's project name, version, Requires-Dist lines and top-level modules."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        metadata_name = next(n for n in names if n.count("/") == 1 and n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(archive.read(metadata_name).decode("utf-8"))
    tops = sorted({n.split("/", 1)[0].removesuffix(".py") for n in names
                   if not n.split("/", 1)[0].endswith((".dist-info", ".data")) and (n.endswith(".py") or "/" in n)})
    return str(metadata["Name"]), str(metadata["Version"]), metadata.get_all("Requires-Dist") or [], tuple(tops)


def needed(requires: Iterable[str], markers: dict[str, str]) -> list[str]:
    """The canonical names of the requirements that apply in this environment (no extras asked for)."""
    wanted: list[str] = []
    for line in requires:
        requirement = Requirement(line)
        if requirement.marker is None or Marker(str(requirement.marker)).evaluate(markers):
            wanted.append(canonicalize_name(requirement.name))
    return wanted


@dataclass(frozen=True)
class WheelCache:
    """A folder of downloaded wheels and source releases (kept between builds: only new pins download)."""

    folder: Path

    def wheel(self, name: str, version: str) -> Path:
        """The pure wheel of `name==version`: from the cache, from the package index, or packed from source."""
        found = self._find(name, version, ".whl")
        if found:
            return found
        if name in PURE_FROM_SOURCE:
            return self._pure_from_source(name, version)
        self._download(name, version, ["--only-binary=:all:", "--platform", "any", "--implementation", "py",
                                       "--abi", "none", "--python-version", "3.13"])
        found = self._find(name, version, ".whl")
        if not found:
            raise RuntimeError(f"no pure-Python wheel of {name}=={version} was downloaded into {self.folder}")
        return found

    def _find(self, name: str, version: str, suffix: str) -> Path | None:
        """The cached pure wheel (suffix '.whl') or source release ('.tar.gz') of `name==version`, if any."""
        wanted = (canonicalize_name(name), Version(version))
        for path in sorted(self.folder.glob(f"*{suffix}")):
            try:
                if suffix == ".whl":
                    project, found, _, tags = parse_wheel_filename(path.name)
                    pure = all(tag.abi == "none" and tag.platform == "any" for tag in tags)
                else:
                    (project, found), pure = parse_sdist_filename(path.name), True
            except (InvalidWheelFilename, InvalidSdistFilename):
                continue  # not a file this cache wrote
            if (project, found) == wanted and pure:
                return path
        return None

    def _download(self, name: str, version: str, options: list[str]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--dest", str(self.folder),
                   *options, f"{name}=={version}"]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"could not download {name}=={version} from the package index:\n{result.stderr}")

    def _pure_from_source(self, name: str, version: str) -> Path:
        sdist = self._find(name, version, ".tar.gz")
        if not sdist:
            self._download(name, version, ["--no-binary=:all:"])
            sdist = self._find(name, version, ".tar.gz")
        if not sdist:
            raise RuntimeError(f"no source release of {name}=={version} was downloaded into {self.folder}")
        files: dict[str, bytes] = {}
        with tarfile.open(sdist) as archive:
            metadata = archive.extractfile(next(m for m in archive.getmembers() if m.name.count("/") == 1
                                                and m.name.endswith("/PKG-INFO")))
            assert metadata is not None
            pkg_info = metadata.read()
            for member in archive.getmembers():
                match = re.fullmatch(r"[^/]+/src/(" + re.escape(name) + r"/[^/]+\.(?:py|pyi|typed))", member.name)
                handle = archive.extractfile(member) if match and member.isfile() else None
                if match and handle:
                    files[match[1]] = handle.read()
        project = Parser().parsestr(pkg_info.decode("utf-8"))["Name"]
        return write_wheel(self.folder, str(project), version, files, pkg_info)


def record_row(name: str, data: bytes) -> tuple[str, str, int]:
    """A file's row in a wheel's RECORD: its name, its sha256 (as wheels spell it) and its size."""
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return name, f"sha256={digest}", len(data)


def write_wheel(folder: Path, project: str, version: str, files: dict[str, bytes], metadata: bytes | None = None,
                requires: Iterable[str] = ()) -> Path:
    """Write a pure-Python wheel of these files (archive names to bytes), with a minimal METADATA unless one is
    given; the same files give the same wheel, byte for byte."""
    distribution = re.sub(r"[-_.]+", "_", project)
    info = f"{distribution}-{version}.dist-info"
    if metadata is None:
        lines = [f"Metadata-Version: 2.1\nName: {project}\nVersion: {version}\n",
                 *(f"Requires-Dist: {r}\n" for r in requires)]
        metadata = "".join(lines).encode("utf-8")
    contents = {**files, f"{info}/METADATA": metadata,
                f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: ros1-course\nRoot-Is-Purelib: true\n"
                                 b"Tag: py3-none-any\n"}
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    for name, data in contents.items():
        writer.writerow(record_row(name, data))
    writer.writerow([f"{info}/RECORD", "", ""])
    contents[f"{info}/RECORD"] = record.getvalue().encode("utf-8")
    path = folder / f"{distribution}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(contents.items()):
            archive.writestr(zip_entry(name), data)
    return path


def zip_entry(name: str, date_time: tuple[int, int, int, int, int, int] = (1980, 1, 1, 0, 0, 0)) -> zipfile.ZipInfo:
    """A compressed zip entry readable by all, at a fixed time unless one is given (the same files give the same
    archive, byte for byte)."""
    entry = zipfile.ZipInfo(name, date_time=date_time)
    entry.external_attr = 0o644 << 16
    entry.compress_type = zipfile.ZIP_DEFLATED
    return entry


def kernel_wheels(cache: WheelCache, pins: dict[str, str], python: str,
                  roots: Iterable[str] = KERNEL_ROOTS) -> list[Wheel]:
    """The wheels of `roots` and everything they require under Pyodide, at the pinned versions."""
    markers = pyodide_markers(python)
    wheels: dict[str, Wheel] = {}
    waiting: list[str] = [canonicalize_name(root) for root in roots]
    while waiting:
        name = waiting.pop()
        if name in wheels or name in NOT_IMPORTED:
            continue
        if name in STAND_INS:
            wheels[name] = stand_in(cache.folder, name, STAND_INS[name])
            continue
        if name not in pins:
            raise RuntimeError(f"the browser's kernel needs {name}, which requirements.lock does not pin: "
                               "add it (the version CI tests) to requirements.lock and environment.yml")
        path = cache.wheel(name, pins[name])
        project, version, requires, imports = wheel_metadata(path)
        depends = tuple(sorted(set(needed(requires, markers)) - NOT_IMPORTED))
        wheels[name] = Wheel(path, canonicalize_name(project), version, imports, depends)
        waiting.extend(depends)
    return sorted(wheels.values(), key=lambda wheel: wheel.name)


def stand_in(folder: Path, name: str, version: str) -> Wheel:
    """An empty package named `name`: the Pyodide kernel finds it loaded and does not try to install it."""
    folder.mkdir(parents=True, exist_ok=True)
    return Wheel(write_wheel(folder, name, version, {}), name, version, ())


def shipped_wheel(path: Path, depends: Iterable[str] = ()) -> Wheel:
    """A wheel the build has on disk already (the kernel's own, the course's), with the projects it needs."""
    project, version, _, imports = wheel_metadata(path)
    return Wheel(path, canonicalize_name(project), version, imports, tuple(depends))


def write_lock(core_lock: Path, wheels: Iterable[Wheel], target: Path) -> None:
    """Pyodide's lock file for the site: the core's own information, and an entry for each shipped wheel only
    (an entry without its file would fail at load, far from the cause)."""
    core = json.loads(core_lock.read_text(encoding="utf-8"))
    shipped = list(wheels)
    names = {wheel.name for wheel in shipped}
    missing = sorted({d for wheel in shipped for d in wheel.depends if d not in names})
    if missing:
        raise RuntimeError(f"the site's lock names packages it does not ship: {', '.join(missing)}")
    packages = {wheel.name: wheel.lock_entry() for wheel in shipped}
    target.write_text(json.dumps({"info": core["info"], "packages": packages}, indent=1, sort_keys=True) + "\n",
                      encoding="utf-8")

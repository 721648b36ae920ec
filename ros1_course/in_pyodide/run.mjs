// node run.mjs CORE OUT SCRIPT: run the Python file SCRIPT in a static site's own Pyodide, started as a page's
// kernel starts it. CORE is the site's static/pyodide folder (the core, the site's lock and wheels);
// OUT/request.json gives the packages to load and the environment; OUT is mounted at /out for SCRIPT's files.
// Used by ros1_course/page_bytecode.py (with compile_imports.py) and by the tests.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [core, out, script] = process.argv.slice(2).map((path) => resolve(path));
const request = JSON.parse(readFileSync(join(out, "request.json"), "utf8"));
const { loadPyodide } = await import(pathToFileURL(join(core, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: core + "/", env: request.env, stdout: () => {}, stderr: (line) => console.error(line),
});
await pyodide.loadPackage(request.packages, { messageCallback: () => {} });
pyodide.FS.mkdirTree("/out");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: out }, "/out");
await pyodide.runPythonAsync(readFileSync(script, "utf8"));

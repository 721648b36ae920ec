"""`ros1-course`: check the content, look things up, write a handout, show the learning record, serve the
presenter app."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from content import ContentError, Guidance, UnknownEntryError, load_guidance
from content.guidance import SETTING_NAMES
from content.loader import load_knowledge
from content.snapshot import write_snapshot
from widgets.words import plural

from .currency import check_events, currency_report
from .documents import certificate_html, handout_html, record_summary_html, review_html
from .lrs import PASSWORD_VARIABLE, USERNAME_VARIABLE, LrsError, credentials_from, send_statements, statements_url
from .printing import PrintError, print_pdf
from .record import LearningRecord, write_atomic
from .record_format import completed_lessons
from .room_setup import add_room_command
from .serve import add_app_command
from .xapi import DEFAULT_ACTIVITY_BASE, Learner, learner_id, statements, write_statements

KINDS = ("mutation", "partner", "therapy")
# The handout's default choices: the scenario's fusion partner, first-line therapy and resistance mutation.
SCENARIO_PARTNER, SCENARIO_AFTER, SCENARIO_MUTATION = "CD74", "crizotinib", "G2032R"
NOT_STATED = "not-stated"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except ContentError as error:
        print(error, file=sys.stderr)
        return 1
    except UnknownEntryError as error:
        print(f"ros1-course: {error}", file=sys.stderr)
        return 2
    except OutputError as error:
        print(f"ros1-course: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0


class OutputError(Exception):
    """An output file that cannot be written (missing directory, no permission)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ros1-course",
        description="ROS1-rearranged lung cancer course: an education resource, not a tool for treatment decisions.",
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    # Options several commands share, declared once.
    content = argparse.ArgumentParser(add_help=False)
    content.add_argument("--content", type=Path, help="content directory (default: the course's own)")

    check = commands.add_parser("check", parents=[content],
                                help="validate the content and list statements past their review date")
    check.add_argument("--today", type=dt.date.fromisoformat, help=argparse.SUPPRESS)
    check.add_argument("--snapshot", type=Path, metavar="DIR",
                       help="when valid, also write the validated snapshot that kernels load into DIR")
    check.add_argument("--currency", action="store_true",
                       help="also list every time-sensitive statement (the report `ros1-course currency` prints)")
    check.set_defaults(run=run_check)

    currency = commands.add_parser("currency", parents=[content],
                                   help="list every time-sensitive statement (regulatory, funding, guideline, "
                                        "trial) by when it could have changed: the checklist before a release")
    currency.add_argument("--today", type=dt.date.fromisoformat, help=argparse.SUPPRESS)
    currency.set_defaults(run=run_currency)

    lookup = commands.add_parser("lookup", parents=[content], help="look up a mutation, fusion partner or therapy")
    lookup.add_argument("kind", choices=KINDS)
    lookup.add_argument("name")
    lookup.add_argument("--json", action="store_true", help="print JSON with the data and its sources")
    lookup.set_defaults(run=run_lookup)

    handout = commands.add_parser("handout", parents=[content],
                                  help="write the case as chosen as one printable, offline HTML file")
    handout.add_argument("--partner", default=SCENARIO_PARTNER, help=f"fusion partner (default {SCENARIO_PARTNER})")
    handout.add_argument("--mutation", action="append", metavar="M",
                         help=f"resistance mutation found, any spelling; repeat for several "
                              f"(default {SCENARIO_MUTATION})")
    handout.add_argument("--after", default=SCENARIO_AFTER, metavar="THERAPY",
                         help=f"the therapy the patient progressed on (default {SCENARIO_AFTER}); "
                              f"'{NOT_STATED}' when it is not known (no UK status is then shown after progression)")
    handout.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.html", help="file to write")
    handout.set_defaults(run=run_handout)

    review = commands.add_parser("review", parents=[content],
                                 help="write the reviewer's report: every clinical statement with its evidence")
    review.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.html", help="file to write")
    review.set_defaults(run=run_review)

    record = commands.add_parser("record", parents=[content],
                                 help="show your self-check progress per lesson, or export a summary")
    record.add_argument("--export", type=Path, metavar="FILE.html", help="write a dated, print-ready summary")
    record.add_argument("--xapi", type=Path, metavar="FILE.json",
                        help="write the record as xAPI 1.0.3 statements, for a learning record store or portfolio")
    record.add_argument("--certificate", type=Path, metavar="FILE.pdf",
                        help="write a one-page A4 certificate of the lessons completed (FILE.html: the page to "
                             "print yourself); needs --name")
    record.add_argument("--name", help="your name as it should appear: on the certificate, and in the xAPI "
                                       "statements (default there: none, an anonymous account known only by this "
                                       "computer's random learner id)")
    record.add_argument("--lrs", metavar="URL",
                        help="send the record's xAPI statements to a learning record store at its xAPI address "
                             f"(https; credentials from ${USERNAME_VARIABLE} and ${PASSWORD_VARIABLE}); sending "
                             "again sends nothing twice")
    record.add_argument("--activity-base", default=DEFAULT_ACTIVITY_BASE, metavar="URL",
                        help="with --xapi or --lrs: the address the course's activities are named under (where it is "
                             f"published; default {DEFAULT_ACTIVITY_BASE})")
    record.set_defaults(run=run_record)

    static = commands.add_parser("build-static", help="build the whole course as a folder of static files that "
                                 "run in the browser, offline (Voici and Pyodide): any web server or file share "
                                 "serves it")
    static.add_argument("-o", "--output", type=Path, required=True, metavar="DIR", help="folder to write")
    static.set_defaults(run=run_build_static)

    add_app_command(commands)
    add_room_command(commands)
    return parser


def run_build_static(args: argparse.Namespace) -> int:
    """Build the static site; say where it is, how big, and how to try it."""
    from .static_site import build_static, folder_size

    site = build_static(args.output)
    print(f"Wrote the static course to {site} ({folder_size(site) / 2**20:.0f} MiB). Try it with: "
          f"python -m http.server --directory {site} 8000, then open http://127.0.0.1:8000/")
    return 0


def run_check(args: argparse.Namespace) -> int:
    """Validate (always, never from a snapshot); print a summary and the statements past review; with
    --snapshot, write the validated snapshot. Exit 0 when valid."""
    knowledge = load_knowledge(args.content)
    guidance = Guidance(knowledge)
    if args.snapshot:
        _check_directory(args.snapshot / "snapshot")
        print(f"Wrote the validated snapshot {write_snapshot(knowledge, args.snapshot)}")
    today = args.today or dt.date.today()
    print(
        f"Content valid ({knowledge.directory}): {len(knowledge.sources)} sources, {len(knowledge.facts)} facts, "
        f"{len(knowledge.partners)} partners, {len(knowledge.therapies)} therapies, "
        f"{len(knowledge.mutations)} mutations, {len(knowledge.activity)} activity rows, "
        f"{len(knowledge.steps)} case steps, {len(knowledge.questions)} questions."
    )
    page = guidance.page
    if page.next_review_due < today:
        print(f"Note: the seed page ({page.title}) was due for review on {page.next_review_due}; "
              f"the course records {len(page.errata)} updates and errata in page.yaml.")
    overdue = guidance.overdue(today)
    if overdue:
        print(f"Warning: {len(overdue)} statement(s) past their review date:")
        for item in overdue:
            print(f"  {item}")
    else:
        print(f"All statements checked within the last {page.review_every_months} months.")
    unverified = guidance.unverified_sources()
    if unverified:
        print(f"Warning: {plural(len(unverified), 'source')} not verified (title, authors, journal and identifier "
              "not all read and matching); the course marks them where it cites them:")
        for source in unverified:
            print(f"  sources.yaml: {source.id}: {source.note or source.citation}")
    weak = guidance.weak_statements()
    if weak:
        print(f"Warning: {plural(len(weak), 'statement')} rest only on unverified, news or manufacturer sources:")
        for statement in weak:
            print(f"  {statement}")
    if args.currency:
        print(currency_report(guidance, today))
    return check_events(guidance, today)


def run_currency(args: argparse.Namespace) -> int:
    """Print the currency report; exit as `check` would for the expected events."""
    guidance = Guidance(load_knowledge(args.content))
    today = args.today or dt.date.today()
    print(currency_report(guidance, today))
    return check_events(guidance, today)



def run_lookup(args: argparse.Namespace) -> int:
    """Print what the course knows of one entry, readable or as JSON."""
    guidance = load_guidance(args.content)
    answer = describe(guidance, args.kind, args.name)
    if args.json:
        print(json.dumps(answer, indent=2, ensure_ascii=False, default=str))
    else:
        print(_readable(answer))
    return 0


def run_handout(args: argparse.Namespace) -> int:
    """Write the handout for the choices given; nothing is written if a name is unknown."""
    _check_directory(args.output)
    guidance = load_guidance(args.content)
    after = None if args.after.strip().lower() == NOT_STATED else args.after
    html = handout_html(guidance, args.partner, args.mutation or [SCENARIO_MUTATION], after)
    _write(args.output, html)
    print(f"Wrote the handout to {args.output}")
    return 0


def run_review(args: argparse.Namespace) -> int:
    """Write the reviewer's report of every clinical statement and its evidence."""
    _check_directory(args.output)
    guidance = load_guidance(args.content)
    _write(args.output, review_html(guidance))
    print(f"Wrote the reviewer's report ({len(guidance.review_items())} statements) to {args.output}")
    return 0


def run_record(args: argparse.Namespace) -> int:
    """Print progress per lesson from the learning record, or export it as a dated HTML summary."""
    guidance = load_guidance(args.content)
    record = LearningRecord(notify=lambda message: print(f"ros1-course: {message}", file=sys.stderr))
    if args.export:
        _check_directory(args.export)
        _write(args.export, record_summary_html(record.contents(), guidance))
        print(f"Wrote the summary of your learning record to {args.export}")
        return 0
    if args.certificate:
        return write_certificate(record, guidance, args.certificate, (args.name or "").strip())
    if args.xapi or args.lrs:
        return export_statements(record, guidance, args)
    progress = record.progress(guidance)
    print(f"Learning record: {record.path}")
    for lesson in progress:
        print(f"  Lesson {lesson.lesson}: {lesson.attempted} of {lesson.questions} questions attempted, "
              f"{lesson.correct} correct")
    print(f"In all: {sum(p.correct for p in progress)} of {sum(p.questions for p in progress)} questions "
          f"correct at the latest attempt; {plural(len(record.attempts()), 'attempt')} recorded.")
    return 0


def export_statements(record: LearningRecord, guidance: Guidance, args: argparse.Namespace) -> int:
    """`record --xapi FILE.json` and/or `record --lrs URL`: the record's xAPI statements, to a file or a store."""
    if args.lrs:  # both checked before anything is written or sent
        try:
            credentials = credentials_from(os.environ)
            statements_url(args.lrs)
        except LrsError as error:
            print(f"ros1-course: {error}", file=sys.stderr)
            return 2
    if args.xapi:
        _check_directory(args.xapi)
    learner = Learner(learner_id(record.path.parent), (args.name or "").strip() or None)
    made = statements(record.contents(), guidance, learner, args.activity_base)
    who = f"as {learner.name}" if learner.name else "anonymous"
    if args.xapi:
        write_statements(made, args.xapi)
        print(f"Wrote {plural(len(made), 'xAPI statement')} ({who}) to {args.xapi}")
    if args.lrs and not made:
        print("Nothing to send yet: the record has no answers, visits or reflections.")
    elif args.lrs:
        print(f"Sending {plural(len(made), 'xAPI statement')} ({who}) to {args.lrs} ...")
        try:
            delivery = send_statements(made, args.lrs, credentials)
        except LrsError as error:
            print(f"ros1-course: {error}", file=sys.stderr)
            return 1
        held = delivery.sent - delivery.new
        if not delivery.new:
            print(f"The store already held all {delivery.sent}: nothing new to store.")
        else:
            print(f"The store took {plural(delivery.new, 'new statement')}"
                  + (f"; it already held the other {held}" if held else "") + ".")
    return 0


def write_certificate(record: LearningRecord, guidance: Guidance, output: Path, name: str) -> int:
    """`record --certificate FILE.pdf --name NAME` (FILE.html: the page only)."""
    if not name:
        print("ros1-course: a certificate carries your name: add --name \"Your Name\".", file=sys.stderr)
        return 2
    _check_directory(output)
    contents = record.contents()
    page = certificate_html(contents, guidance, name)
    if output.suffix.lower() == ".html":
        _write(output, page)
    else:
        try:
            print_pdf(page, output)
        except PrintError as error:
            print(f"ros1-course: {error}", file=sys.stderr)
            return 1
    done = len(completed_lessons(contents, guidance))
    print(f"Wrote the certificate for {name} ({plural(done, 'lesson')} completed) to {output}")
    return 0


def _check_directory(path: Path) -> None:
    if not path.parent.is_dir():
        raise OutputError(f"cannot write {path}: the directory {path.parent} does not exist")


def _write(path: Path, text: str) -> None:
    try:
        write_atomic(path, text)
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from error


def describe(guidance: Guidance, kind: str, name: str) -> dict[str, Any]:
    """One entry as plain data: the record, how the name matched, related activity, and every source cited."""
    found = guidance.find(kind, name)
    record = found.entry.model_dump(mode="json")
    answer: dict[str, Any] = {"kind": kind, "query": name, "match_note": found.note, kind: record}
    if kind == "therapy":  # the UK status by setting, at the top: a status holds only in its own setting
        answer["uk"] = record.pop("uk")
    if kind in ("mutation", "therapy"):
        rows = (guidance.activity_rows(found.entry.name) if kind == "mutation"
                else [r for r in guidance.activity_rows() if r.therapy == found.entry.name])
        answer["activity"] = [
            {"mutation": r.mutation, "therapy": r.therapy, "activity": r.activity, "evidence": r.evidence,
             "reason": r.reason, "sources": list(r.sources)}
            for r in rows
        ]
    _date_time_sensitive(answer)
    cited = list(_source_ids(answer)) + list(found.note_sources)
    answer["sources"] = [source.model_dump(mode="json") for source in guidance.sources_of(cited)]
    return answer


def _date_time_sensitive(value: Any) -> None:
    """Give every time-sensitive statement in the answer its `as_of` date (its check date, or 'not checked'),
    so nobody reads an old status as today's."""
    if isinstance(value, dict):
        if value.get("changes_with"):
            value["as_of"] = value.get("checked") or "not checked"
        for item in value.values():
            _date_time_sensitive(item)
    elif isinstance(value, list):
        for item in value:
            _date_time_sensitive(item)


def _source_ids(value: Any) -> list[str]:
    if isinstance(value, dict):
        ids = list(value.get("sources", [])) if isinstance(value.get("sources"), list) else []
        for key, item in value.items():
            if key != "sources":
                ids += _source_ids(item)
        return [i for i in ids if isinstance(i, str)]
    if isinstance(value, list):
        return [i for item in value for i in _source_ids(item)]
    return []


# Field names as a clinician reads them; the rest are shown with their first letter capitalised.
FIELD_LABELS = {"hgvs_p": "HGVS protein", "cns": "Brain (CNS)", "drug_class": "Drug class",
                "binding_type": "Binding type", "breakpoint_exon": "Partner breakpoint exon"}


def _readable(answer: dict[str, Any]) -> str:
    kind = answer["kind"]
    record = answer[kind]
    title = record.get("name") or record.get("symbol")
    lines = [f"{kind.capitalize()}: {title}"]
    if answer["match_note"]:
        lines.append(f"Note: {answer['match_note']}")
    for key, value in record.items():
        if key in ("name", "symbol") or value in (None, [], ""):
            continue
        lines.append(f"{FIELD_LABELS.get(key, key.replace('_', ' ').capitalize())}: {_flatten(value)}")
    for uk in answer.get("uk", []):
        nice = f" (NICE {uk['nice']})" if uk["nice"] else ""
        lines.append(f"UK status, {SETTING_NAMES[uk['setting']]}: {uk['status']}{nice}, "
                     f"funded: {'yes' if uk['funded'] else 'no'}. {_flatten(uk)}")
    for row in answer.get("activity", []):
        other = row["therapy"] if kind == "mutation" else row["mutation"]
        lines.append(f"  {other:<14} {row['activity']:<10} ({row['evidence']}) {row['reason']}")
    lines.append("Sources:")
    lines += [f"  [{s['id']}] {s['citation']}" for s in answer["sources"]]
    lines.append("Education only: not a tool for treatment decisions.")
    return "\n".join(lines)


def _flatten(value: Any) -> str:
    if isinstance(value, dict):
        if "text" in value:
            as_of = f" (as of {value['as_of']})" if "as_of" in value else ""
            return f"{value['text']} [{', '.join(value.get('sources', []))}]{as_of}"
        return "; ".join(f"{k}: {_flatten(v)}" for k, v in value.items() if v not in (None, [], ""))
    if isinstance(value, list):
        return " | ".join(_flatten(item) for item in value)
    return str(value)


if __name__ == "__main__":
    raise SystemExit(main())

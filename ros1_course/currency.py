"""What `check` and `currency` print of the time-sensitive statements: the expected events still to come, those
whose date has passed (a warning, then a failure after the grace period), and the maintainer's report."""

from __future__ import annotations

import datetime as dt
import sys

from content import Guidance
from content.currency import GRACE_DAYS, shortened
from widgets.words import plural


def check_events(guidance: Guidance, today: dt.date) -> int:
    """Print the expected events still to come and those whose date has passed; 1 when any passed more than
    the grace period ago (the statement must be re-checked and updated), else 0."""
    pending = guidance.pending_events(today)
    if pending:
        print(f"Pending: {plural(len(pending), 'expected event')} the course tracks:")
        for statement, event in pending:
            print(f"  {event.expected}: {event.what} ({event.by}); {statement.where}: {statement.field}")
    passed = guidance.passed_events(today)
    warned = [p for p in passed if not p.failing]
    failing = [p for p in passed if p.failing]
    if warned:
        print(f"Warning: {plural(len(warned), 'expected date')} passed: re-check the statement within "
              f"{GRACE_DAYS} days of the date:")
        for item in warned:
            print(f"  {item}")
    if failing:
        print(f"Error: {plural(len(failing), 'expected date')} passed more than {GRACE_DAYS} days ago: the course "
              "may be teaching an outdated status. Re-check and update each statement (remove the event when it "
              "came, or give its new date with the source):", file=sys.stderr)
        for item in failing:
            print(f"  {item}", file=sys.stderr)
        return 1
    return 0


def currency_report(guidance: Guidance, today: dt.date) -> str:
    """Every time-sensitive statement, by when it could first have changed, with its kind, place, sources,
    check date and expected events (each marked passed or to come)."""
    statements = guidance.time_sensitive()
    lines = [f"Time-sensitive statements ({len(statements)}), by when each could first have changed "
             f"(today {today}):"]
    for s in statements:
        when = s.changes_by.isoformat() if s.changes_by else "never checked"
        checked = f"checked {s.checked}" if s.checked else "not checked (sources unverified)"
        lines.append(f"  {when}  {s.kind:<10} {s.where}: {s.field}: {shortened(s.text, 100)} [{', '.join(s.sources)}]; "
                     f"{checked}")
        for event in s.events:
            state = "PASSED" if event.expected < today else "expected"
            lines.append(f"      {state} {event.expected}: {event.what} ({event.by}) [{', '.join(event.sources)}]")
    return "\n".join(lines)

"""*My progress* on the static site: the learning record kept in the browser, and for a portfolio its summary (the
page `ros1-course record --export` writes), a certificate (the page `record --certificate` prints, to print to
PDF from the browser) and its xAPI statements (as `record --xapi` writes them) to download; and a button that
deletes it.

On the static site each page's kernel keeps the record as the server's kernels do (`LearningRecord`), in the
folder the site names in ROS1_COURSE_DATA_DIR: the pages' shared drive, which the browser keeps in its own
storage for the site (IndexedDB). It never leaves the browser, and another browser or computer does not see it.
"""

from __future__ import annotations

import base64
import datetime as dt
import json

import ipywidgets as w
from markupsafe import Markup

from content import Guidance, load_guidance
from widgets.render import environment
from widgets.style import ROOT_CLASS, css

from .documents import certificate_html, record_summary_html
from .navigation import course_home
from .record import LearningRecord
from .record_format import RecordContents, lesson_summaries
from .xapi import LEARNER_ID_FILE, Learner, learner_id, statements

WHERE_KEPT = ("Your self-check answers, your time on each lesson and your reflections are kept in this browser "
              "only, in the storage it keeps for this site: nothing is sent anywhere, and another browser or "
              "computer does not see them. Clearing this site's data in the browser deletes them too.")


def data_link(text: str, kind: str) -> str:
    """A download link's address holding `text` (UTF-8) as `kind` (a MIME type)."""
    return f"data:{kind};charset=utf-8;base64," + base64.b64encode(text.encode("utf-8")).decode("ascii")


class ProgressPage(w.VBox):
    """The record's progress per lesson; its summary, certificate (for the `name` typed) and xAPI statements as
    downloads (`downloads`); and *Delete my record* (after a confirmation); `status` says what was done."""

    def __init__(self, record: LearningRecord | None = None, guidance: Guidance | None = None,
                 today: dt.date | None = None) -> None:
        self.record = record or LearningRecord()
        self.guidance = guidance or load_guidance()
        self.today = today
        self.summary = w.HTML()
        self.name = w.Text(description="Your name, as it should appear on the certificate",
                           placeholder="e.g. Dr A. Trainee", continuous_update=False,
                           style={"description_width": "initial"}, layout=w.Layout(width="auto"))
        self.downloads = w.HTML()
        self.contents = RecordContents()
        self.confirm = w.Checkbox(False, description="Yes, delete every answer in my record",
                                  indent=False, layout=w.Layout(width="auto"))
        self.delete_button = w.Button(description="Delete my record", button_style="danger", disabled=True,
                                      tooltip="Delete every self-check answer this browser keeps for the course")
        self.status = w.HTML()
        self.confirm.observe(lambda change: setattr(self.delete_button, "disabled", not change.new), "value")
        self.delete_button.on_click(lambda _: self.delete())
        self.name.observe(lambda _change: self.show_downloads(), "value")
        super().__init__([self.summary, w.HTML(Markup("<h2>For your portfolio</h2>")), self.name, self.downloads,
                          w.HTML(Markup("<h2>Delete my record</h2>")), self.confirm, self.delete_button,
                          self.status])
        self.add_class(ROOT_CLASS)
        self.show()

    def show(self) -> None:
        """Draw the progress and the downloads from the record as it is now."""
        self.contents = self.record.contents()
        self.summary.value = environment("ros1_course").get_template("progress.html.j2").render(
            css=Markup(css("course.css")), where_kept=WHERE_KEPT, home=course_home(),
            summaries=lesson_summaries(self.contents, self.guidance), attempts=len(self.contents.attempts))
        self.show_downloads()

    def show_downloads(self) -> None:
        """The links to download the summary, the certificate (once a name is typed) and the xAPI statements,
        made from the record as `show` last read it."""
        name = self.name.value.strip()
        learner = Learner(learner_id(self.record.path.parent), name or None)
        made = statements(self.contents, self.guidance, learner)
        self.downloads.value = environment("ros1_course").get_template("progress-downloads.html.j2").render(
            summary=data_link(record_summary_html(self.contents, self.guidance, self.today), "text/html"),
            certificate=data_link(certificate_html(self.contents, self.guidance, name, self.today), "text/html")
            if name else None, xapi=data_link(json.dumps(made, ensure_ascii=False, indent=1), "application/json"),
            statements=len(made), named=bool(name))

    def delete(self) -> None:
        """Delete the record (the file, in the browser's storage), then draw the empty record."""
        if not self.confirm.value:
            return
        self.record.path.unlink(missing_ok=True)
        (self.record.path.parent / LEARNER_ID_FILE).unlink(missing_ok=True)
        self.confirm.value = False
        self.status.value = Markup("<p role=\"status\">Your record was deleted: no answers, times or reflections "
                                   "are kept now.</p>")
        self.show()


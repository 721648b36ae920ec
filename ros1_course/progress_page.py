"""*My progress* on the static site: the learning record kept in the browser, its summary to download (the page
`ros1-course record --export` writes), and a button that deletes it.

On the static site each page's kernel keeps the record as the server's kernels do (`LearningRecord`), in the
folder the site names in ROS1_COURSE_DATA_DIR: the pages' shared drive, which the browser keeps in its own
storage for the site (IndexedDB). It never leaves the browser, and another browser or computer does not see it.
"""

from __future__ import annotations

import base64
import datetime as dt

import ipywidgets as w
from markupsafe import Markup

from content import Guidance, load_guidance
from widgets.render import environment
from widgets.style import ROOT_CLASS, css

from .documents import record_summary_html
from .navigation import course_home
from .record import LearningRecord

WHERE_KEPT = ("Your self-check answers are kept in this browser only, in the storage it keeps for this site: "
              "nothing is sent anywhere, and another browser or computer does not see them. Clearing this site's "
              "data in the browser deletes them too.")


class ProgressPage(w.VBox):
    """The record's progress per lesson, its summary as a download, and *Delete my record* (after a
    confirmation); `status` says what was done."""

    def __init__(self, record: LearningRecord | None = None, guidance: Guidance | None = None,
                 today: dt.date | None = None) -> None:
        self.record = record or LearningRecord()
        self.guidance = guidance or load_guidance()
        self.today = today
        self.summary = w.HTML()
        self.confirm = w.Checkbox(False, description="Yes, delete every answer in my record",
                                  indent=False, layout=w.Layout(width="auto"))
        self.delete_button = w.Button(description="Delete my record", button_style="danger", disabled=True,
                                      tooltip="Delete every self-check answer this browser keeps for the course")
        self.status = w.HTML()
        self.confirm.observe(lambda change: setattr(self.delete_button, "disabled", not change.new), "value")
        self.delete_button.on_click(lambda _: self.delete())
        super().__init__([self.summary, w.HTML(Markup("<h2>Delete my record</h2>")), self.confirm,
                          self.delete_button, self.status])
        self.add_class(ROOT_CLASS)
        self.show()

    def show(self) -> None:
        """Draw the progress and the download link from the record as it is now."""
        summary = record_summary_html(self.record, self.guidance, self.today)
        self.summary.value = environment("ros1_course").get_template("progress.html.j2").render(
            css=Markup(css("course.css")), where_kept=WHERE_KEPT, progress=self.record.progress(self.guidance),
            attempts=len(self.record.attempts()), home=course_home(),
            summary_link="data:text/html;charset=utf-8;base64," + base64.b64encode(summary.encode()).decode("ascii"))

    def delete(self) -> None:
        """Delete the record (the file, in the browser's storage), then draw the empty record."""
        if not self.confirm.value:
            return
        self.record.path.unlink(missing_ok=True)
        self.confirm.value = False
        self.status.value = Markup("<p role=\"status\">Your record was deleted: no answers are kept now.</p>")
        self.show()


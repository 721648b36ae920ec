"""Ask the room, the presenter's side: a panel beside a self-check (the case app's, a lesson's) that puts its
questions to the room's phones, counts the answers live, keeps the spread hidden until *Reveal*, then shows the
bars with the keyed answer marked, the explanation and the sources; *Ask the next question* paces the room.

The panel runs in the presenter's kernel and uses the room file of `ros1-course app --room` (named in the
kernel's environment; `room_access.room_panel` makes the panel) directly. Every visitor of the server gets a
kernel, so the panel opens only with the presenter's key, which the server printed in the presenter's terminal.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from pathlib import Path

import ipywidgets as w
from markupsafe import Markup

from content import Guidance
from content.guidance import QuizQuestion
from widgets.citations import Citations
from widgets.controls import labelled
from widgets.render import box
from widgets.style import column, row, text

from .room_qr import qr_svg
from .room_store import REVEALED, Poll, RoomStore

COUNT_EVERY_SECONDS = 0.25  # the live count follows the phones this closely (a COUNT on the room file)
WRONG_KEYS_BEFORE_PAUSE = 5
PAUSE_SECONDS = 30
PANEL_CSS = (Path(__file__).parent / "static" / "room-panel.css").read_text(encoding="utf-8")


def spread_html(poll: Poll, spread: Sequence[int], answering: int) -> Markup:
    """The answers as a table of bars: each option's count and share, the keyed answer marked in words."""
    rows = []
    for index, option in enumerate(poll.options):
        share = round(100 * spread[index] / answering) if answering else 0
        keyed = index in poll.keyed
        rows.append(Markup(
            '<tr class="{}"><th scope="row">{}{}</th><td><span class="ros1-room-bar" style="width: {}%" '
            'aria-hidden="true"></span></td><td>{} ({}%)</td></tr>').format(
            "ros1-room-keyed" if keyed else "", option,
            Markup(' <strong>✓ the answer</strong>') if keyed else "", share, spread[index], share))
    return Markup('<table class="ros1-room-spread"><caption>{} {} answered: {}</caption><thead><tr>'
                  '<th scope="col">Option</th><th scope="col"><span class="ros1-sr">Bar</span></th>'
                  '<th scope="col">Answers</th></tr></thead><tbody>{}</tbody></table>').format(
        answering, "device" if answering == 1 else "devices", poll.prompt, Markup("").join(rows))


class AskTheRoom(w.VBox):
    """The presenter's panel. Controls: `key` (Password) and `open_button` until the presenter's key is given;
    then `question_menu` (Dropdown of the questions), `ask_button`, `reveal_button`, `next_button`,
    `new_room_button`. Shown: `key_message`, `join` (address, room code, QR code), `count` (live), `results`
    (after Reveal)."""

    def __init__(self, guidance: Guidance, questions: Sequence[QuizQuestion], room_file: Path,
                 join_base: str) -> None:
        self.guidance = guidance
        self.questions = list(questions)
        self.room_file = room_file
        self.join_base = join_base
        self.store: RoomStore | None = None
        self.room = ""
        self.poll: Poll | None = None
        self.asked = 0  # the index of the question asked last
        self._wrong_keys = 0
        self._paused_until = 0.0
        self._following = threading.Event()
        self._counting = threading.Lock()  # the live count never overwrites the final one
        self.key = labelled(w.Password(description="Presenter key", placeholder="as printed by the server"))
        self.open_button = w.Button(description="Open Ask the room", icon="unlock", layout=w.Layout(width="auto"))
        self.key_message = text()
        self.join = text()
        self.question_menu = labelled(w.Dropdown(
            options=[(f"{number}. {q.prompt}", number - 1) for number, q in enumerate(self.questions, 1)],
            description="Question to ask", layout=w.Layout(width="auto")))
        wide = w.Layout(width="auto")
        self.ask_button = w.Button(description="Ask the room", icon="bullhorn", layout=wide)
        self.reveal_button = w.Button(description="Reveal", icon="eye", disabled=True, layout=wide)
        self.next_button = w.Button(description="Ask the next question", icon="arrow-right", disabled=True,
                                    layout=wide)
        self.new_room_button = w.Button(description="New room (another group)", icon="plus", layout=wide)
        self.count = text()
        self.results = text()
        self.working = column([self.join, self.question_menu, row(self.ask_button, self.reveal_button,
                                                                   self.next_button),
                               self.count, self.results, row(self.new_room_button)])
        self.locked = column([text("<p>Phones answer the question you ask; the spread stays hidden until you "
                                   "reveal it. Type the presenter key the server printed when it started.</p>"),
                              row(self.key, self.open_button), self.key_message])
        self.heading = text(Markup("<style>{}</style><h3>Ask the room</h3>").format(PANEL_CSS))
        super().__init__([self.heading, self.locked])
        self.add_class("ros1-room")
        self.open_button.on_click(self.unlock)
        self.ask_button.on_click(lambda _button: self.ask(self.question_menu.value))
        self.reveal_button.on_click(self.reveal)
        self.next_button.on_click(self.ask_next)
        self.new_room_button.on_click(self.new_room)

    # --- the presenter's key ---------------------------------------------------------------------------
    def unlock(self, _event: object = None) -> None:
        """Open the panel if the key is the presenter's; a few wrong keys pause the attempts."""
        if time.monotonic() < self._paused_until:
            self.key_message.value = box("Too many wrong keys: wait half a minute, then try again.", "message")
            return
        store = RoomStore(self.room_file)
        if not store.presenter_key_matches(self.key.value):
            store.close()
            self._wrong_keys += 1
            if self._wrong_keys >= WRONG_KEYS_BEFORE_PAUSE:
                self._wrong_keys, self._paused_until = 0, time.monotonic() + PAUSE_SECONDS
            self.key_message.value = box("That is not this server's presenter key. It was printed in the terminal "
                                         "where `ros1-course app --room` was started.", "message")
            return
        self.key.value = ""
        self.store = store
        self.show_room(store.rooms()[-1])
        self.children = (self.heading, self.working)

    def show_room(self, code: str) -> None:
        """Show the join address, the room code and its QR code."""
        self.room = code
        address = f"{self.join_base}{code}"
        self.join.value = Markup(
            '<figure class="ros1-room-join"><div class="ros1-room-qr">{}</div><figcaption><p>Join on your phone: '
            '<strong class="ros1-room-address">{}</strong></p><p>or open <strong>{}</strong> and type the room '
            'code <strong class="ros1-room-code">{}</strong></p></figcaption></figure>').format(
            qr_svg(address), address, self.join_base, code)
        self.poll = None
        self.count.value = self.results.value = ""
        self.reveal_button.disabled = self.next_button.disabled = True

    def new_room(self, _button: object = None) -> None:
        """A room of its own for another group: a new code, its answers apart."""
        if self.store:
            self._following.clear()
            self.show_room(self.store.new_room())

    # --- pacing the room -------------------------------------------------------------------------------
    def ask(self, index: int) -> None:
        """Put question `index` to the room: phones show it, the count starts at 0, the spread is hidden."""
        if self.store is None or not self.questions:
            return
        self._following.clear()
        self.question_menu.value = self.asked = index
        self.poll = self.store.ask(self.room, self.questions[index])
        self.results.value = ""
        self.show_count(0)
        self.reveal_button.disabled = False
        self.next_button.disabled = index + 1 >= len(self.questions)
        self._following = threading.Event()
        self._following.set()
        threading.Thread(target=self._follow, args=(self.poll.id, self._following), daemon=True).start()

    def ask_next(self, _button: object = None) -> None:
        """Ask the question after the one asked last."""
        self.ask(min(self.asked + 1, len(self.questions) - 1))

    def reveal(self, _button: object = None) -> None:
        """Close the question and show the spread, the keyed answer, the explanation and the sources."""
        if self.store is None or self.poll is None:
            return
        with self._counting:
            self._following.clear()
        self.store.set_state(self.poll.id, REVEALED)
        answering = self.store.count(self.poll.id)
        self.show_count(answering, final=True)
        question = self.questions[self.asked]  # the question asked, whatever the menu shows now
        self.results.value = spread_html(self.poll, self.store.spread(self.poll.id), answering) + Markup(
            "<p>{} {}</p>").format(question.explanation, Citations(self.guidance).cite(question.sources))
        self.reveal_button.disabled = True

    def show_count(self, answering: int, final: bool = False) -> None:
        """The number of devices that have answered."""
        what = ("answered; the question is closed" if final else
                "answered so far (the spread is hidden until you reveal it)")
        self.count.value = Markup('<p class="ros1-room-count"><strong>{}</strong> {} {}</p>').format(
            answering, "device" if answering == 1 else "devices", what)

    def _follow(self, poll_id: int, following: threading.Event) -> None:
        """Keep the live count current while the question is open (a thread with its own connection)."""
        store = RoomStore(self.room_file)
        shown = -1
        try:
            while following.is_set():
                answering = store.count(poll_id)
                with self._counting:
                    if answering != shown and following.is_set():
                        self.show_count(answering)
                        shown = answering
                time.sleep(COUNT_EVERY_SECONDS)
        finally:
            store.close()


"""A bounded pool of face worker processes, each job with a deadline that kills it.

The same workers extract fingerprints' minutiae (NBIS MINDTCT, C code that a
crafted image can crash or stall) for a border check, within the same limits
(:meth:`FaceWorkers.extract_finger`), except that a print waits longer for a
worker: ``queue_wait_s`` plus ``deadline_s``, so that the live photo of the
same inspection, holding the officer's share, can be captured first.

Python threads cannot be stopped: a face capture that runs past its check's
time-out used to go on for as long as its photo took, holding the one dlib
model every other traveller waited for. Here the captures run in
``FaceWorkLimits.workers`` processes (``biometrics.face_worker``):

- **A deadline that stops the CPU.** A job not answered within
  ``deadline_s`` has its process killed (the CPU stops then and there) and a
  fresh one started in its place; the caller gets :class:`FaceWorkTimedOut`.
- **A bounded wait.** A job waits at most ``queue_wait_s`` for a free
  worker, and at most ``queue_size`` jobs wait at once; beyond either, the
  caller gets :class:`FaceWorkersBusy` at once rather than queueing behind a
  hog.
- **A share per user.** One user holds at most ``per_user`` workers at once
  (the user the job is for: :func:`working_for`): another user's flood of
  photos cannot take every worker from the officers at the other booths.
- **A budget before the pool.** A photo over the pixel budget is refused from
  its header in the caller (``biometrics.photo``), without taking a worker.

Workers start at the first capture (or at :meth:`FaceWorkers.warm`, which a served
node calls as it starts), all at once, and load the models then (a second or two;
a capture prefers a worker already loaded); one that dies (a crash of the native
code on a crafted photo) is replaced like a late one. ::

    PasserelleError
    └── FaceWorkRefused(reason)      the capture did not run or did not finish
        ├── FaceWorkersBusy          no worker free in time, or the user's share in use
        ├── FaceWorkTimedOut         past the deadline: the worker was killed
        └── FaceWorkerFailed         the worker died or could not start
"""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from multiprocessing.connection import Connection

from passerelle.biometrics.face import FaceCapture
from passerelle.biometrics.fingerprint.images import check_image
from passerelle.biometrics.fingerprint.templates import FingerprintTemplate
from passerelle.biometrics.photo import DEFAULT_LIMITS, PhotoLimits, photo_size
from passerelle.exc import InvalidInput, PasserelleError
from passerelle.i18n import N_
from passerelle.i18n.wording import Wording, worded

__all__ = [
    "FaceWorkLimits",
    "FaceWorkRefused",
    "FaceWorkTimedOut",
    "FaceWorkerFailed",
    "FaceWorkers",
    "FaceWorkersBusy",
    "working_for",
]

log = logging.getLogger(__name__)

_OWNER: ContextVar[str] = ContextVar("face_work_owner", default="")


@contextmanager
def working_for(owner: str) -> Iterator[None]:
    """The face jobs started in this block count against ``owner``'s share of the workers."""
    token = _OWNER.set(owner)
    try:
        yield
    finally:
        _OWNER.reset(token)


class FaceWorkRefused(PasserelleError):
    """A face capture that did not run, or did not finish; ``reason`` says why in words."""

    def __init__(self, reason: str | Wording) -> None:
        text = reason if isinstance(reason, str) else reason.english
        super().__init__(text)
        self.reason = text
        self.wording = reason if isinstance(reason, Wording) else None
        """The reason worded for a page (``i18n.wording``)."""


class FaceWorkersBusy(FaceWorkRefused):
    """No face worker was free in time (or the user already holds their share)."""


class FaceWorkTimedOut(FaceWorkRefused):
    """The capture ran past its deadline: its worker was killed."""


class FaceWorkerFailed(FaceWorkRefused):
    """The worker died during the capture, or could not start."""


@dataclass(frozen=True, slots=True)
class FaceWorkLimits:
    """How much face work the node takes on at once, and for how long."""

    workers: int = 2
    """Worker processes (each one CPU at most while it works)."""
    per_user: int = 1
    """Workers one user may hold at once."""
    deadline_s: float = 4.0
    """Longest one capture may run before its worker is killed."""
    queue_wait_s: float = 1.0
    """Longest a capture waits for a free worker before it is refused."""
    queue_size: int = 8
    """Most captures waiting at once; one more is refused at once."""
    start_s: float = 30.0
    """Longest a fresh worker may take to load the models."""

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise InvalidInput("workers", "must be 1 or more")
        if not 1 <= self.per_user <= self.workers:
            raise InvalidInput("per_user", "must be between 1 and the number of workers")
        for name in ("deadline_s", "start_s"):
            if not getattr(self, name) > 0.0:
                raise InvalidInput(name, "must be above 0")
        if self.queue_wait_s < 0.0:
            raise InvalidInput("queue_wait_s", "must be 0 or more")
        if self.queue_size < 0:
            raise InvalidInput("queue_size", "must be 0 or more")


class _Worker:
    """One worker process and the server's end of its socket (started on first use)."""

    def __init__(self, number: int) -> None:
        self.number = number
        self.process: subprocess.Popen[bytes] | None = None
        self.conn: Connection | None = None
        self.ready = False

    def start(self) -> None:
        ours, theirs = socket.socketpair()
        with ours, theirs:
            fd = theirs.fileno()
            process = subprocess.Popen(
                [sys.executable, "-m", "passerelle.biometrics.face_worker", str(fd)],
                pass_fds=(fd,),
                stdin=subprocess.DEVNULL,
            )
            conn = Connection(ours.detach())
        self.process, self.conn, self.ready = process, conn, False

    def stop(self) -> None:
        process, conn = self.process, self.conn
        self.process, self.conn, self.ready = None, None, False
        if process is not None:
            process.kill()
            process.wait(5.0)
        if conn is not None:
            conn.close()

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None


class FaceWorkers:
    """Face captures in worker processes, within ``limits`` (the pool) and ``photo_limits``
    (each photo's pixel budget and the side it is reduced to).

    Thread-safe: the request threads call :meth:`capture` at once. :meth:`close` kills the
    workers (the node stopping).
    """

    def __init__(
        self, limits: FaceWorkLimits = FaceWorkLimits(), photo_limits: PhotoLimits = DEFAULT_LIMITS
    ) -> None:
        self.limits = limits
        self.photo_limits = photo_limits
        self._workers = [_Worker(n) for n in range(limits.workers)]
        self._idle = list(reversed(self._workers))
        self._held: Counter[str] = Counter()
        self._waiting = 0
        self._closed = False
        self._free = threading.Condition()

    # -- a capture ----------------------------------------------------------------------------

    def capture(self, image: bytes, *, field: str) -> FaceCapture:
        """The one usable face in the photo, captured by a worker within the deadline.

        Raises ``InvalidInput`` naming ``field`` for a photo refused (over the pixel
        budget, from its header, before a worker is taken; no face; blurred...), and
        :class:`FaceWorkRefused` when the capture could not run or finish.
        """
        limits = self.photo_limits
        photo_size(image, field=field, limits=limits)
        owner = _OWNER.get()
        worker = self._take(owner)
        try:
            capture = self._run(worker, (image, field, limits.max_pixels, limits.max_side))
        finally:
            self._give_back(worker, owner)
        assert isinstance(capture, FaceCapture)
        return capture

    def extract_finger(self, image: bytes, *, field: str, position: int) -> FingerprintTemplate:
        """The minutiae of a 500 ppi fingerprint image (finger ``position``), extracted by a
        worker within the deadline.

        Raises ``InvalidInput`` naming ``field`` for an image refused (format and size
        from its header, before a worker is taken; too few minutiae...), and
        :class:`FaceWorkRefused` when the extraction could not run or finish.
        """
        try:
            check_image(image)
        except InvalidInput as refused:
            raise refused.named(field) from None
        owner = _OWNER.get()
        worker = self._take(owner, wait_s=self.limits.queue_wait_s + self.limits.deadline_s)
        try:
            template = self._run(worker, ("finger", image, field, position))
        finally:
            self._give_back(worker, owner)
        assert isinstance(template, FingerprintTemplate)
        return template

    def _take(self, owner: str, *, wait_s: float | None = None) -> _Worker:
        limits = self.limits
        until = time.monotonic() + (limits.queue_wait_s if wait_s is None else wait_s)
        with self._free:
            if self._closed:
                raise FaceWorkerFailed(worded(N_("the face workers are stopped")))
            if self._waiting >= limits.queue_size and not self._idle:
                raise FaceWorkersBusy(
                    worded(
                        N_(
                            "%(waiting)s photos are already waiting for the %(workers)s face "
                            "workers"
                        ),
                        waiting=self._waiting,
                        workers=limits.workers,
                    )
                )
            self._waiting += 1
            try:
                while not (self._idle and self._held[owner] < limits.per_user):
                    left = until - time.monotonic()
                    if left <= 0.0 or self._closed:
                        raise FaceWorkersBusy(self._why_busy(owner))
                    self._free.wait(left)
                self._held[owner] += 1
                return self._pick()
            finally:
                self._waiting -= 1

    def _pick(self) -> _Worker:
        """An idle worker, one whose model is loaded first; every worker is started on the
        first capture (so that the second one is ready when a flood takes the first)."""
        for worker in self._idle:
            if worker.process is None:
                worker.start()
        chosen = max(self._idle, key=lambda worker: worker.ready)
        self._idle.remove(chosen)
        return chosen

    def _why_busy(self, owner: str) -> Wording:
        limits = self.limits
        if self._held[owner] >= limits.per_user:
            return worded(
                N_(
                    "this user already has %(held)s photo(s) being analysed (at most %(most)s "
                    "at once)"
                ),
                held=self._held[owner],
                most=limits.per_user,
            )
        return worded(
            N_("all %(workers)s face workers stayed busy for %(seconds)s s"),
            workers=limits.workers,
            seconds=f"{limits.queue_wait_s:g}",
        )

    def _give_back(self, worker: _Worker, owner: str) -> None:
        with self._free:
            self._held[owner] -= 1
            if self._held[owner] <= 0:
                del self._held[owner]
            self._idle.append(worker)
            self._free.notify_all()

    def _run(self, worker: _Worker, job: tuple[object, ...]) -> FaceCapture | FingerprintTemplate:
        """Send the job to ``worker`` (started and ready first) and wait for its answer until
        the deadline; a worker late or dead is killed and replaced."""
        limits = self.limits
        if worker.process is None:
            worker.start()
        conn = worker.conn
        assert conn is not None
        try:
            if not worker.ready:
                if not conn.poll(limits.start_s):
                    self._replace(worker, "start_timeout")
                    raise FaceWorkerFailed(
                        worded(
                            N_("a face worker did not start within %(seconds)s s"),
                            seconds=f"{limits.start_s:g}",
                        )
                    )
                conn.recv()  # ("ready", pid)
                worker.ready = True
            conn.send(job)
            if not conn.poll(limits.deadline_s):
                self._replace(worker, "deadline")
                raise FaceWorkTimedOut(
                    worded(
                        N_("the capture ran past %(seconds)s s and was stopped"),
                        seconds=f"{limits.deadline_s:g}",
                    )
                )
            answer = conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker, "died")
            raise FaceWorkerFailed(
                worded(N_("the face worker stopped during the capture"))
            ) from None
        kind = answer[0]
        if kind in ("face", "finger"):
            done: FaceCapture | FingerprintTemplate = answer[1]
            return done
        if kind == "refused":
            said = answer[3] if len(answer) > 3 else None
            raise InvalidInput(answer[1], Wording.from_dict(said) if said else answer[2])
        raise FaceWorkerFailed(
            worded(N_("the face capture failed (%(error)s)"), error=str(answer[1]))
        )

    def _replace(self, worker: _Worker, why: str) -> None:
        """Kill ``worker``'s process (its CPU stops now) and start a fresh one in its place."""
        log.warning("face_worker.replaced", extra={"worker": worker.number, "why": why})
        worker.stop()
        if not self._closed:
            worker.start()

    # -- the pool -----------------------------------------------------------------------------

    def pids(self) -> list[int]:
        """The process ids of the workers started (for operators and tests)."""
        return [pid for w in self._workers if (pid := w.pid) is not None]

    def warm(self) -> None:
        """Start every worker now (each loads the models in the background)."""
        with self._free:
            for worker in self._idle:
                if worker.process is None:
                    worker.start()

    def close(self) -> None:
        """Kill the workers; a capture after this is refused (:class:`FaceWorkerFailed`)."""
        with self._free:
            self._closed = True
            self._free.notify_all()
        for worker in self._workers:
            worker.stop()

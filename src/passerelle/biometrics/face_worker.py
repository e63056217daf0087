"""The face worker process: loads dlib's models once, then captures faces sent down a pipe.

Started by :class:`passerelle.biometrics.workers.FaceWorkers` as
``python -m passerelle.biometrics.face_worker FD``: a fresh interpreter, nothing
inherited from the server's threads or its main module, talking over the
socket ``FD`` (a ``multiprocessing`` connection: pickled messages). This module
imports nothing heavy at its top, so that the worker pins the numerical
libraries to one thread before numpy loads: one worker is one CPU at most.

The conversation, one message at a time on the pipe:

- worker → server, once: ``("ready", pid)`` when the models are loaded;
- server → worker: ``(image bytes, field, max_pixels, max_side)``, a face to capture, or
  ``("finger", image bytes, field, position)``, a fingerprint's minutiae to extract (NBIS
  MINDTCT and NFIQ 2, ``biometrics.fingerprint.extract``);
- worker → server: ``("face", FaceCapture)`` or ``("finger", FingerprintTemplate)``,
  ``("refused", field, reason)`` for an image the work refuses (``InvalidInput``),
  ``("failed", error class name)`` otherwise.

A job the server stops waiting for is not cancelled politely: the server kills
the process, which stops its CPU at once, and starts another.
"""

from __future__ import annotations

import os
import sys
from multiprocessing.connection import Connection

__all__ = ["serve"]

_ONE_THREAD = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def serve(conn: Connection) -> None:
    """Answer capture jobs on ``conn`` until the server closes it (or kills this process)."""
    for name in _ONE_THREAD:
        os.environ[name] = "1"
    from passerelle.biometrics.face import _models, capture_face
    from passerelle.biometrics.photo import PhotoLimits, read_photo, refuse_decompression_bombs
    from passerelle.exc import InvalidInput

    refuse_decompression_bombs()
    _models()
    conn.send(("ready", os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):  # the server is gone or closed the pipe
            return
        try:
            answer: tuple[object, ...]
            if job[0] == "finger":
                answer = ("finger", _finger(*job[1:]))
            else:
                data, field, max_pixels, max_side = job
                pixels = read_photo(data, field=field, limits=PhotoLimits(max_pixels, max_side))
                answer = ("face", capture_face(pixels, field=field))
        except InvalidInput as refused:
            said = refused.wording.as_dict() if refused.wording is not None else None
            answer = ("refused", refused.field, refused.reason, said)
        except Exception as exc:  # reported to the server by class name, never a traceback
            answer = ("failed", type(exc).__name__)
        try:
            conn.send(answer)
        except (EOFError, OSError):
            return


def _finger(data: bytes, field: str, position: int) -> object:
    """The minutiae of a fingerprint image; a refusal names ``field``, not ``image``."""
    from passerelle.biometrics.fingerprint import extract_template
    from passerelle.exc import InvalidInput

    try:
        return extract_template(data, finger_position=position)
    except InvalidInput as refused:
        raise refused.named(field) from None


if __name__ == "__main__":
    serve(Connection(int(sys.argv[1])))

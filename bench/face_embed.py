"""Face capture cost per image, and how genuine and impostor similarities separate.

What it measures
    ``passerelle.biometrics.face.capture_face`` (HOG detection with one upsampling,
    5-point landmarks, the quality measures, the ResNet descriptor) per image,
    timed one by one on one core: p50 and p99 over ``--rounds`` passes of the image
    set, at the sizes the images have (800×800 portraits, 400×400 framed crops).

    Separation: cosine similarities between the astronaut's portrait and altered
    copies of it (pose: rotation and perspective; scale; lighting; JPEG; noise;
    occlusion), which must all match, and between different people (the astronaut
    against the usable enlarged LFW crops, and the crops against each other),
    which must not. The decision threshold is ``MATCH_THRESHOLD``.

    What this can claim, and what not: one real person's altered copies and
    upscaled 25×25 crops are not a population. The figures show that the pipeline
    works end to end and where the threshold falls between these two sets; they
    are not a false match rate.

The peer, in the same run
    The bare dlib calls on the same images (detector, shape predictor, descriptor;
    no image checks, no quality measures): the ratio is Passerelle's p50 ÷ the
    bare calls' p50, the cost of the capture checks.

Run it
    .venv/bin/python bench/face_embed.py [--rounds 3] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import json
import os
import statistics
import time
from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw
from skimage import data

from passerelle.biometrics.face import (
    MATCH_THRESHOLD,
    FaceCapture,
    _models,
    capture_face,
)
from passerelle.exc import InvalidInput

Pixels = npt.NDArray[np.uint8]


def portrait() -> Pixels:
    return np.asarray(Image.fromarray(data.astronaut()).resize((800, 800), Image.LANCZOS))


def alterations(pixels: Pixels) -> dict[str, Pixels]:
    image = Image.fromarray(pixels)
    out: dict[str, Pixels] = {}
    for angle in (-12, -6, 6, 12):
        out[f"rotated {angle}°"] = np.asarray(image.rotate(angle, resample=Image.BICUBIC))
    width, height = image.size
    for shift in (40, 80):  # a turned head, roughly: a horizontal perspective squeeze
        quad = (shift, 0, 0, height, width, height, width - shift, 0)
        out[f"perspective {shift}px"] = np.asarray(
            image.transform(image.size, Image.QUAD, quad, resample=Image.BICUBIC)
        )
    for size in (720, 960):
        out[f"scaled to {size}px"] = np.asarray(image.resize((size, size), Image.LANCZOS))
    for factor in (0.6, 1.25):
        out[f"lighting ×{factor}"] = np.clip(pixels * factor, 0, 255).astype(np.uint8)
    for quality in (20, 50):
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=quality)
        out[f"JPEG q{quality}"] = np.asarray(Image.open(buffer).convert("RGB"))
    rng = np.random.default_rng(7)
    for sigma in (8, 16):
        noisy = pixels + rng.normal(0, sigma, pixels.shape)
        out[f"noise σ{sigma}"] = np.clip(noisy, 0, 255).astype(np.uint8)
    occluded = image.copy()
    ImageDraw.Draw(occluded).rectangle((390, 420, 560, 520), fill=(20, 20, 20))  # a hand, a mask
    out["lower face occluded"] = np.asarray(occluded)
    return out


def others() -> list[Pixels]:
    crops = data.lfw_subset()[:100]
    framed = []
    for crop in crops:
        face = Image.fromarray((crop * 255).astype(np.uint8)).resize((200, 200), Image.BICUBIC)
        canvas = Image.new("RGB", (400, 400), (128, 128, 128))
        canvas.paste(face.convert("RGB"), (100, 100))
        framed.append(np.asarray(canvas))
    return framed


def bare_dlib(pixels: Pixels) -> None:
    detector, landmarks, descriptor, _ = _models()
    boxes = detector(pixels, 1)
    if boxes:
        descriptor.compute_face_descriptor(pixels, landmarks(pixels, boxes[0]))


def timed(function: Any, images: list[Pixels], rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        for pixels in images:
            start = time.perf_counter_ns()
            with contextlib.suppress(InvalidInput):  # a refusal costs its time too
                function(pixels)
            samples.append((time.perf_counter_ns() - start) / 1e6)
    return samples


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(rounds: int) -> dict[str, Any]:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    reference_pixels = portrait()
    reference = capture_face(reference_pixels)
    genuine: dict[str, float | str] = {}
    for label, pixels in alterations(reference_pixels).items():
        try:
            genuine[label] = reference.template.similarity(capture_face(pixels).template)
        except InvalidInput as exc:
            genuine[label] = f"refused: {exc.reason}"
    crops = others()
    usable: list[FaceCapture] = []
    refused: dict[str, int] = {}
    for pixels in crops:
        try:
            usable.append(capture_face(pixels))
        except InvalidInput as exc:
            reason = exc.reason.split("(")[0].split(":")[0].strip()
            refused[reason] = refused.get(reason, 0) + 1
    impostor = [reference.template.similarity(c.template) for c in usable]
    impostor += [a.template.similarity(b.template) for a, b in itertools.combinations(usable, 2)]
    images = [reference_pixels, *list(alterations(reference_pixels).values())[:4], *crops[:10]]
    _models()
    ours = timed(capture_face, images, rounds)
    bare = timed(bare_dlib, images, rounds)
    scores = [v for v in genuine.values() if isinstance(v, float)]
    return {
        "threshold": MATCH_THRESHOLD,
        "genuine": genuine,
        "genuine_min": min(scores) if scores else None,
        "impostor_pairs": len(impostor),
        "impostor_max": max(impostor) if impostor else None,
        "impostor_p99": percentile(impostor, 99) if impostor else None,
        "impostors_above_threshold": sum(s >= MATCH_THRESHOLD for s in impostor),
        "crops_usable": len(usable),
        "crops_refused": refused,
        "capture_p50_ms": percentile(ours, 50),
        "capture_p99_ms": percentile(ours, 99),
        "bare_p50_ms": percentile(bare, 50),
        "images_timed": len(ours),
        "mean_ms": statistics.fmean(ours),
    }


def report(r: dict[str, Any]) -> None:
    print("Face capture and separation: passerelle.biometrics.face (dlib ResNet, 5-point)")
    print(f"  one core; {r['images_timed']} timed captures (portraits 800², framed crops 400²)")
    print(
        f"  capture p50 {r['capture_p50_ms']:.0f} ms, p99 {r['capture_p99_ms']:.0f} ms; bare dlib "
        f"calls p50 {r['bare_p50_ms']:.0f} ms → ratio {r['capture_p50_ms'] / r['bare_p50_ms']:.2f}"
    )
    print(f"  genuine (astronaut vs altered copies), threshold {r['threshold']}:")
    for label, value in r["genuine"].items():
        shown = f"{value:.3f}" if isinstance(value, float) else value
        verdict = (
            ""
            if not isinstance(value, float)
            else ("match" if value >= r["threshold"] else "MISSED")
        )
        print(f"    {label:22s} {shown} {verdict}")
    print(
        f"  impostors: {r['crops_usable']} usable LFW crops of 100 (refused: "
        f"{r['crops_refused']}); {r['impostor_pairs']} pairs, max {r['impostor_max']:.3f}, "
        f"p99 {r['impostor_p99']:.3f}, at or above the threshold: "
        f"{r['impostors_above_threshold']}"
    )
    print(
        f"  margin: lowest genuine {r['genuine_min']:.3f} vs highest impostor "
        f"{r['impostor_max']:.3f} (one person's copies and upscaled crops: not a population)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(args.rounds)
    if args.json:
        print(json.dumps(result))
    else:
        report(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

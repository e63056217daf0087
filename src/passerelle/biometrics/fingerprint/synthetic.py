"""Synthetic fingerprints: a master finger, then as many impressions of it as wanted.

No fingerprint images ship with the project, so tests and benchmarks draw their
own, in the manner of SFinGe (Cappelli, Maio, Maltoni):

1. **Orientation field.** The ridge flow of a fingertip is fixed by its singular
   points: cores (where ridges turn back) and deltas (where three flows meet).
   The Sherlock–Monro zero-pole model gives the ridge direction at ``z`` as
   ``½·Σ arg(z − core) − ½·Σ arg(z − delta)``; one core and one delta make a
   loop, two of each a whorl, a core right above a delta a tented arch. A plain
   arch has no singular point: its ridges are the level lines of a bump.
   A smooth random perturbation keeps two fingers of one class apart.
2. **Ridges grown from noise.** White noise is filtered again and again by a
   Gabor filter tuned, pixel by pixel, to the local orientation and ridge
   frequency (about 9 px, 0.46 mm, at 500 ppi), and clipped after each pass.
   Ridges line up with the flow; where two growing ridge fronts meet out of
   phase they leave endings and bifurcations: the minutiae. The filtering is
   done with FFTs, one per orientation of a 16-orientation bank.
3. **Impressions.** Each impression places the finger differently on the
   sensor: rotation, translation, an elastic (non-linear) displacement field
   that grows away from the centre of contact, a contact area that covers part
   of the fingertip, pressure (thicker or thinner ridges), dry skin (broken
   ridges), sensor blur and noise.

Everything is drawn from ``numpy.random.Generator`` seeded with the finger's
seed (and the impression number): the same seed gives the same pixels.

>>> master = generate_master(7)
>>> image = render_impression(master, 0)
>>> image.shape, image.dtype.name
((400, 320), 'uint8')
>>> bool((image == render_impression(generate_master(7), 0)).all())
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from passerelle.exc import InvalidInput

__all__ = [
    "IMAGE_SHAPE",
    "ImpressionVariation",
    "MasterFinger",
    "PatternClass",
    "generate_master",
    "render_impression",
    "synthetic_impressions",
]

FloatImage = npt.NDArray[np.float32]

IMAGE_SHAPE = (400, 320)
"""Rows × columns of an impression: 20.3 × 16.3 mm at 500 ppi."""
_CANVAS = (448, 384)
"""The master is drawn larger than an impression so that shifted impressions stay on skin."""
_ORIENTATIONS = 16
_GROWTH_PASSES = 9


class PatternClass(StrEnum):
    """The Henry classes a synthetic master is drawn from, by singular points."""

    ARCH = "arch"
    TENTED_ARCH = "tented_arch"
    LEFT_LOOP = "left_loop"
    RIGHT_LOOP = "right_loop"
    WHORL = "whorl"


_CLASS_SHARES = {
    PatternClass.LEFT_LOOP: 0.33,
    PatternClass.RIGHT_LOOP: 0.30,
    PatternClass.WHORL: 0.29,
    PatternClass.TENTED_ARCH: 0.04,
    PatternClass.ARCH: 0.04,
}
"""Rough population shares (loops about two in three, whorls about one in three)."""


@dataclass(frozen=True, slots=True, eq=False)
class MasterFinger:
    """One synthetic finger: its ridge pattern and fingertip shape on the master canvas."""

    seed: int
    pattern: PatternClass
    ridge_period: float
    """Mean distance between ridges, in pixels at 500 ppi."""
    ridges: FloatImage
    """Ridge field in [-1, 1]: positive on a ridge, negative in a valley."""
    silhouette: FloatImage
    """1 on the fingertip, 0 off it, soft at the edge."""


@dataclass(frozen=True, slots=True)
class ImpressionVariation:
    """How much one impression may differ from another; each impression draws within these."""

    max_rotation_deg: float = 12.0
    max_shift_px: float = 24.0
    distortion_px: float = 5.0
    """Largest elastic displacement, reached at the rim of the contact area."""
    min_contact: float = 0.7
    """Smallest contact area as a share of the fingertip's reach (1 = the whole tip)."""
    pressure: float = 0.3
    """Largest change of ridge thickness, as a shift of the ridge threshold."""
    noise: float = 10.0
    """Standard deviation of sensor noise, in grey levels."""
    dryness: float = 0.5
    """Largest share of ridge pixels lost to dry skin."""


# ----------------------------------------------------------------------------- helpers


def _grid(shape: tuple[int, int]) -> tuple[FloatImage, FloatImage]:
    rows, cols = np.mgrid[0 : shape[0], 0 : shape[1]].astype(np.float32)
    return cols, rows


def _smooth_noise(rng: np.random.Generator, shape: tuple[int, int], scale: float) -> FloatImage:
    """White noise low-passed at ``scale`` pixels (Gaussian), scaled to unit deviation."""
    spectrum = np.fft.rfft2(rng.standard_normal(shape))
    v = np.fft.fftfreq(shape[0])[:, None]
    u = np.fft.rfftfreq(shape[1])[None, :]
    spectrum *= np.exp(-2.0 * (math.pi * scale) ** 2 * (u * u + v * v))
    field = np.fft.irfft2(spectrum, s=shape)
    field /= field.std() + 1e-12
    return field.astype(np.float32)


def _bilinear(image: FloatImage, x: FloatImage, y: FloatImage, outside: float) -> FloatImage:
    """Sample ``image`` at fractional (x, y); points off the image read ``outside``."""
    h, w = image.shape
    x0 = np.floor(x)
    y0 = np.floor(y)
    fx = x - x0
    fy = y - y0
    inside = (x0 >= 0) & (y0 >= 0) & (x0 < w - 1) & (y0 < h - 1)
    xi = np.clip(x0, 0, w - 2).astype(np.intp)
    yi = np.clip(y0, 0, h - 2).astype(np.intp)
    top = image[yi, xi] * (1 - fx) + image[yi, xi + 1] * fx
    bottom = image[yi + 1, xi] * (1 - fx) + image[yi + 1, xi + 1] * fx
    out = top * (1 - fy) + bottom * fy
    return np.where(inside, out, np.float32(outside)).astype(np.float32)


# ----------------------------------------------------------------------------- master


def _singular_points(
    rng: np.random.Generator, pattern: PatternClass, cx: float, cy: float
) -> tuple[list[complex], list[complex]]:
    """Cores and deltas (x + iy, canvas pixels) for ``pattern`` around a centre (cx, cy)."""
    core = complex(cx + rng.uniform(-20, 20), cy + rng.uniform(-25, 15))
    if pattern is PatternClass.TENTED_ARCH:
        return [core], [core + complex(rng.uniform(-8, 8), rng.uniform(70, 100))]
    if pattern in (PatternClass.LEFT_LOOP, PatternClass.RIGHT_LOOP):
        side = -1.0 if pattern is PatternClass.LEFT_LOOP else 1.0
        delta = core + complex(side * rng.uniform(80, 130), rng.uniform(110, 160))
        return [core], [delta]
    # whorl: two cores a few ridges apart, a delta low on each side
    tilt = rng.uniform(-0.6, 0.6)
    half = rng.uniform(12, 28)
    offset = complex(half * math.sin(tilt), half * math.cos(tilt))
    cores = [core - offset, core + offset]
    deltas = [
        core + complex(-rng.uniform(100, 140), rng.uniform(110, 160)),
        core + complex(rng.uniform(100, 140), rng.uniform(110, 160)),
    ]
    return cores, deltas


def _orientation_field(
    rng: np.random.Generator, pattern: PatternClass, shape: tuple[int, int]
) -> FloatImage:
    """Ridge direction (radians, modulo π) at every canvas pixel."""
    x, y = _grid(shape)
    cx = shape[1] / 2 + rng.uniform(-15, 15)
    cy = shape[0] * 0.42 + rng.uniform(-15, 15)
    if pattern is PatternClass.ARCH:
        # Ridges are the level lines of y - bump(x, y): flat below, arched in the middle.
        height = rng.uniform(40, 80)
        sx = rng.uniform(60, 90)
        sy = rng.uniform(90, 140)
        bump = height * np.exp(-(((x - cx) / sx) ** 2) / 2 - (((y - cy) / sy) ** 2) / 2)
        fy = 1 + bump * (y - cy) / sy**2
        fx = bump * (x - cx) / sx**2
        theta = np.arctan2(fy, fx) + math.pi / 2
    else:
        cores, deltas = _singular_points(rng, pattern, cx, cy)
        theta = np.zeros(shape, dtype=np.float64)
        for c in cores:
            theta += 0.5 * np.arctan2(y - c.imag, x - c.real)
        for d in deltas:
            theta -= 0.5 * np.arctan2(y - d.imag, x - d.real)
    theta = theta + rng.uniform(-0.15, 0.15) + 0.12 * _smooth_noise(rng, shape, 60.0)
    return np.mod(theta, math.pi).astype(np.float32)


def _silhouette(rng: np.random.Generator, shape: tuple[int, int]) -> FloatImage:
    """A fingertip: a rounded top narrowing slightly, open at the bottom of the canvas."""
    x, y = _grid(shape)
    cx = shape[1] / 2 + rng.uniform(-6, 6)
    half_width = shape[1] * rng.uniform(0.40, 0.46)
    top = shape[0] * rng.uniform(0.02, 0.08)
    tip_height = half_width * rng.uniform(1.0, 1.25)
    centre_y = top + tip_height
    # an ellipse above centre_y, straight sides below it
    dy = np.maximum(centre_y - y, 0.0) / tip_height
    dx = (x - cx) / half_width
    reach = np.sqrt(dx * dx + dy * dy)
    inside: FloatImage = np.clip((1.0 - reach) * 25.0, 0.0, 1.0).astype(np.float32)
    return inside


def _gabor_bank(shape: tuple[int, int], period: float) -> npt.NDArray[np.float32]:
    """Frequency responses (orientations × rfft2 shape) of even Gabor filters for ``period``."""
    v = np.fft.fftfreq(shape[0])[:, None]
    u = np.fft.rfftfreq(shape[1])[None, :]
    f0 = 1.0 / period
    across = 1.0 / (2 * math.pi * 0.5 * period)  # spectral spread across ridges
    along = 1.0 / (2 * math.pi * 0.9 * period)  # and along them: smoother ridges
    bank = np.empty((_ORIENTATIONS, shape[0], u.shape[1]), dtype=np.float32)
    for k in range(_ORIENTATIONS):
        theta = k * math.pi / _ORIENTATIONS
        normal_u, normal_v = -math.sin(theta), math.cos(theta)
        p = u * normal_u + v * normal_v
        q = u * normal_v - v * normal_u
        lobe = np.exp(-0.5 * ((np.abs(p) - f0) / across) ** 2 - 0.5 * (q / along) ** 2)
        bank[k] = lobe
    return bank


def _grow_ridges(
    rng: np.random.Generator, theta: FloatImage, period: float, passes: int
) -> FloatImage:
    """Grow a ridge pattern from noise with the orientation-tuned Gabor bank."""
    shape = (int(theta.shape[0]), int(theta.shape[1]))
    bank = _gabor_bank(shape, period)
    position = theta * (_ORIENTATIONS / math.pi)
    lower = np.floor(position).astype(np.intp) % _ORIENTATIONS
    upper = (lower + 1) % _ORIENTATIONS
    weight = (position - np.floor(position)).astype(np.float32)
    rows, cols = np.indices(shape)
    field = rng.standard_normal(shape).astype(np.float32)
    for _ in range(passes):
        responses = np.fft.irfft2(np.fft.rfft2(field)[None] * bank, s=shape).astype(np.float32)
        mixed = (1 - weight) * responses[lower, rows, cols] + weight * responses[upper, rows, cols]
        field = np.clip(mixed / (np.abs(mixed).mean() + 1e-6), -1.0, 1.0)
    return field.astype(np.float32)


def _draw_pattern(rng: np.random.Generator) -> PatternClass:
    classes = list(_CLASS_SHARES)
    shares = np.array([_CLASS_SHARES[c] for c in classes])
    return classes[int(rng.choice(len(classes), p=shares / shares.sum()))]


def generate_master(seed: int, *, pattern: PatternClass | None = None) -> MasterFinger:
    """Draw the master finger of ``seed``: orientation field, ridge frequency, ridges, shape.

    The class is drawn with population shares unless ``pattern`` is given. About
    0.2 s on one core.
    """
    if seed < 0:
        raise InvalidInput("seed", "must be 0 or more")
    rng = np.random.default_rng([seed, 0x6D617374])
    chosen = pattern if pattern is not None else _draw_pattern(rng)
    period = float(rng.uniform(8.5, 10.5))
    theta = _orientation_field(rng, chosen, _CANVAS)
    ridges = _grow_ridges(rng, theta, period, _GROWTH_PASSES)
    return MasterFinger(seed, chosen, period, ridges, _silhouette(rng, _CANVAS))


# ----------------------------------------------------------------------------- impressions


def render_impression(
    master: MasterFinger,
    impression: int,
    *,
    variation: ImpressionVariation | None = None,
) -> npt.NDArray[np.uint8]:
    """Press ``master`` on a 500 ppi sensor: impression number ``impression`` as greyscale.

    Dark ridges on a light background, ``IMAGE_SHAPE`` pixels; the same master
    and number always give the same image.
    """
    if impression < 0:
        raise InvalidInput("impression", "must be 0 or more")
    v = variation if variation is not None else ImpressionVariation()
    rng = np.random.default_rng([master.seed, 0x696D7072, impression])
    h, w = IMAGE_SHAPE
    ch, cw = _CANVAS
    x, y = _grid(IMAGE_SHAPE)

    # where the finger touches: an ellipse around a point near the sensor centre
    contact_x = w / 2 + rng.uniform(-0.1, 0.1) * w
    contact_y = h / 2 + rng.uniform(-0.1, 0.1) * h
    share = rng.uniform(v.min_contact, 1.0)
    rx, ry = share * w * 0.62, share * h * 0.62
    rim = np.sqrt(((x - contact_x) / rx) ** 2 + ((y - contact_y) / ry) ** 2)
    rim = rim + 0.05 * _smooth_noise(rng, IMAGE_SHAPE, 12.0)
    contact = np.clip((1.0 - rim) * 12.0, 0.0, 1.0)

    # rigid placement plus an elastic displacement that grows away from the contact centre
    angle = math.radians(rng.uniform(-v.max_rotation_deg, v.max_rotation_deg))
    shift_x, shift_y = rng.uniform(-v.max_shift_px, v.max_shift_px, size=2)
    ox, oy = x - contact_x, y - contact_y
    cos_a, sin_a = math.cos(angle), math.sin(angle)
    strain = np.clip(np.sqrt((ox / (w * 0.6)) ** 2 + (oy / (h * 0.6)) ** 2), 0, 1.5) ** 1.5
    amplitude = rng.uniform(0.3, 1.0) * v.distortion_px
    dx = amplitude * strain * _smooth_noise(rng, IMAGE_SHAPE, 70.0)
    dy = amplitude * strain * _smooth_noise(rng, IMAGE_SHAPE, 70.0)
    source_x = cw / 2 + shift_x + (contact_x - w / 2) + cos_a * ox - sin_a * oy + dx
    source_y = ch / 2 + shift_y + (contact_y - h / 2) + sin_a * ox + cos_a * oy + dy
    ridges = _bilinear(master.ridges, source_x, source_y, outside=-1.0)
    skin = _bilinear(master.silhouette, source_x, source_y, outside=0.0) * contact

    # pressure moves the ridge threshold; dry skin eats patches of ridge
    bias = rng.uniform(-v.pressure, v.pressure)
    ink = 1.0 / (1.0 + np.exp(-4.0 * (ridges + bias)))
    dryness = rng.uniform(0.0, v.dryness)
    if dryness > 0:
        pores = _smooth_noise(rng, IMAGE_SHAPE, 1.6)
        ink *= 1.0 - dryness * np.clip(pores - 0.6, 0.0, 1.0)
    ink *= skin

    background = rng.uniform(225, 250)
    ridge_grey = rng.uniform(20, 80)
    grey = background - (background - ridge_grey) * ink
    grey = _blur(grey, rng.uniform(0.5, 1.0))
    grey += rng.normal(0.0, v.noise * rng.uniform(0.4, 1.0), size=IMAGE_SHAPE)
    return np.clip(np.rint(grey), 0, 255).astype(np.uint8)


def _blur(image: npt.NDArray[np.floating], sigma: float) -> FloatImage:
    """Gaussian blur of ``sigma`` pixels (the sensor's point spread), via FFT."""
    shape = (int(image.shape[0]), int(image.shape[1]))
    v = np.fft.fftfreq(shape[0])[:, None]
    u = np.fft.rfftfreq(shape[1])[None, :]
    spectrum = np.fft.rfft2(image) * np.exp(-2.0 * (math.pi * sigma) ** 2 * (u * u + v * v))
    return np.fft.irfft2(spectrum, s=shape).astype(np.float32)


def synthetic_impressions(
    seed: int, count: int, *, variation: ImpressionVariation | None = None
) -> list[npt.NDArray[np.uint8]]:
    """``count`` impressions of the finger of ``seed`` (the master is drawn once)."""
    master = generate_master(seed)
    return [render_impression(master, i, variation=variation) for i in range(count)]

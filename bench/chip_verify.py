"""Chip passive authentication per second on one core, against a raw ``cryptography`` loop.

What it measures
    For each key kind (default RSA-2048 and ECDSA P-256, the target's pair; add others
    with ``--algorithms``), a specimen state (``documents.chip.specimen``) issues one
    CSCA, one document signer and ``--count`` chips (DG1, DG2 with a small JPEG face,
    DG14, DG15; SHA-256), and a CRL. Then, on the same chips:

    * Passerelle: ``verify_chip`` with the printed MRZ, the issuing state and the trust
      anchors (the CSCA and its CRL), as an inspection calls it: EF.SOD parsed
      (asn1crypto), the SOD's signature, the DSC against the CSCA, each data group's
      hash, DG1 against the MRZ, the country, the dates, revocation, DG2's image read;
    * the peer, the floor of the same checks: a loop that calls ``cryptography``
      directly on inputs parsed beforehand (untimed): each data group's SHA-256 compared
      with the expected value, the content's hash against the message digest, the SOD's
      signature over the signed attributes, and the DSC's signature with the CSCA's key.

    Documents per second and milliseconds per chip for both, and Passerelle's cost
    over the floor. Target: at most 20 ms per chip (RSA-2048 / ECDSA-256).

Timing
    ``time.perf_counter`` over the chips, best of ``--repeat`` runs after one untimed
    warm-up pass; the process is pinned to one CPU where the OS allows it.

Run it
    PYTHONPATH=$PWD/src .venv/bin/python bench/chip_verify.py [--count 300] [--repeat 3]
        [--algorithms rsa-2048,ecdsa-p256,rsa-pss-2048,ecdsa-brainpool256] [--json]

Exit code 1 when a generated chip does not verify, 0 otherwise; the target is
reported, not enforced.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from asn1crypto import cms
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from passerelle.documents import MrzFormat
from passerelle.documents.chip import ChipData, TrustAnchors, verify_chip
from passerelle.documents.chip.signatures import HASHES
from passerelle.documents.chip.specimen import SpecimenPki, data_group
from passerelle.documents.compose import compose_mrz

AS_OF = date(2026, 12, 7)
TARGET_MS = 20.0


@dataclass(frozen=True)
class Prepared:
    """What the raw loop needs, parsed beforehand."""

    groups: tuple[tuple[bytes, bytes], ...]
    content: bytes
    message_digest: bytes
    signed_attributes: bytes
    signature: bytes


def _chips(
    algorithm: str, count: int
) -> tuple[SpecimenPki, list[tuple[ChipData, tuple[str, ...]]]]:
    state = SpecimenPki.create("UT", algorithm=algorithm)
    signer = state.document_signer()
    extra = {14: data_group(14, b"\x31\x00"), 15: data_group(15, b"\x30\x00")}
    chips = []
    for i in range(count):
        mrz = compose_mrz(
            MrzFormat.TD3,
            document_number=f"X{i:08d}",
            birth_date="800101",
            expiry_date="310101",
            surname="SPECIMEN",
            given_names=f"TRAVELLER {chr(65 + i % 26)}",
            issuing_state="UTO",
            sex="F",
        ).splitlines()
        chips.append((signer.chip(mrz, extra=extra), tuple(mrz)))
    return state, chips


def _prepare(chip: ChipData) -> Prepared:
    info = cms.ContentInfo.load(chip.sod[4:])
    signer = info["content"]["signer_infos"][0]
    content = bytes(info["content"]["encap_content_info"]["content"].contents)
    digest = next(
        a["values"][0].native
        for a in signer["signed_attrs"]
        if a["type"].native == "message_digest"
    )
    from passerelle.documents.chip.sod import read_sod

    expected = read_sod(chip.sod).hashes
    return Prepared(
        tuple((raw, expected[n]) for n, raw in sorted(chip.data_groups.items())),
        content,
        bytes(digest),
        bytes(signer["signed_attrs"].untag().dump(force=True)),
        bytes(signer["signature"].native),
    )


def _raw_check(
    dsc: x509.Certificate, csca: x509.Certificate, scheme: str
) -> Callable[[Prepared], None]:
    key = dsc.public_key()
    sha256 = HASHES["sha256"]()

    def check(p: Prepared) -> None:
        for raw, expected in p.groups:
            if hashlib.sha256(raw).digest() != expected:
                raise AssertionError("hash")
        if hashlib.sha256(p.content).digest() != p.message_digest:
            raise AssertionError("digest")
        if isinstance(key, rsa.RSAPublicKey):
            pad = padding.PSS(padding.MGF1(sha256), 32) if scheme == "pss" else padding.PKCS1v15()
            key.verify(p.signature, p.signed_attributes, pad, sha256)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(p.signature, p.signed_attributes, ec.ECDSA(sha256))
        dsc.verify_directly_issued_by(csca)

    return check


def _best(repeat: int, run: Callable[[], None]) -> float:
    run()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(algorithm: str, count: int, repeat: int) -> dict[str, Any]:
    state, chips = _chips(algorithm, count)
    trust = TrustAnchors.of([state.certificate], [state.crl()])
    failures = [
        r for chip, mrz in chips
        if not (r := verify_chip(chip, printed_mrz=mrz, issuing_state="UTO", trust=trust,
                                 as_of=AS_OF)).verified
    ]  # fmt: skip
    prepared = [_prepare(chip) for chip, _mrz in chips]
    dsc = x509.load_der_x509_certificate(
        cms.ContentInfo.load(chips[0][0].sod[4:])["content"]["certificates"][0].chosen.dump()
    )
    raw = _raw_check(dsc, state.certificate, "pss" if "pss" in algorithm else "pkcs1")

    def ours() -> None:
        for chip, mrz in chips:
            verify_chip(chip, printed_mrz=mrz, issuing_state="UTO", trust=trust, as_of=AS_OF)

    def floor() -> None:
        for p in prepared:
            raw(p)

    ours_s, floor_s = _best(repeat, ours), _best(repeat, floor)
    return {
        "algorithm": algorithm,
        "chips": count,
        "failures": len(failures),
        "passerelle_per_s": round(count / ours_s, 1),
        "passerelle_ms": round(ours_s / count * 1000, 3),
        "raw_per_s": round(count / floor_s, 1),
        "raw_ms": round(floor_s / count * 1000, 3),
        "over_floor": round(ours_s / floor_s, 2),
        "target_met": ours_s / count * 1000 <= TARGET_MS,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--algorithms", default="rsa-2048,ecdsa-p256")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    rows = [measure(a, args.count, args.repeat) for a in args.algorithms.split(",")]
    machine = {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
    }
    if args.json:
        print(json.dumps({"machine": machine, "results": rows}))
    else:
        print(f"machine: {machine}")
        print(
            f"{'algorithm':<20}{'ours/s':>10}{'ms':>9}{'raw/s':>10}{'raw ms':>9}"
            f"{'x floor':>9}  target"
        )
        for r in rows:
            print(
                f"{r['algorithm']:<20}{r['passerelle_per_s']:>10}{r['passerelle_ms']:>9}"
                f"{r['raw_per_s']:>10}{r['raw_ms']:>9}{r['over_floor']:>9}  "
                f"{'met' if r['target_met'] else 'MISSED'} (<= {TARGET_MS:g} ms)"
            )
    return 1 if any(r["failures"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())

"""Fingerprints: minutiae templates, 1:1 verification and 1:N search, with NIST NBIS.

A fingerprint is compared through its minutiae, the points where ridges end
or split. MINDTCT finds them in a 500 ppi image and NFIQ 2 grades the image
(``extract_template``); they travel between nodes as ISO/IEC 19794-2:2005
records, tagged with the extractor that made them (``FingerprintTemplate``),
because another extractor's minutiae are not comparable. BOZORTH3 scores two
templates (``compare``) and ``verify`` holds the score to ``MATCH_THRESHOLD``,
calibrated on synthetic prints. A ``FingerprintGallery`` searches many
enrolled fingers: triangle codes of neighbouring minutiae pick a short list,
BOZORTH3 decides, at the stricter ``SEARCH_THRESHOLD``. ``synthetic`` draws
fingerprints for tests and benchmarks.

>>> from passerelle.biometrics.fingerprint.synthetic import generate_master, render_impression
>>> finger = generate_master(21)
>>> enrolled = extract_template(render_impression(finger, 0))
>>> verify(extract_template(render_impression(finger, 1)), enrolled).is_match
True
>>> verify(extract_template(render_impression(generate_master(22), 0)), enrolled).is_match
False

Bad input raises ``passerelle.exc.InvalidInput`` naming the field (``image``,
``template``, ``probe.extractor`` ...) and the reason.
"""

from passerelle.biometrics.fingerprint.compare import (
    MATCH_THRESHOLD,
    PreparedTemplate,
    Verification,
    compare,
    compare_prepared,
    prepare,
    verify,
)
from passerelle.biometrics.fingerprint.extract import MIN_MINUTIAE, extract_template
from passerelle.biometrics.fingerprint.gallery import (
    SEARCH_THRESHOLD,
    FingerprintCandidate,
    FingerprintGallery,
)
from passerelle.biometrics.fingerprint.iso import (
    Minutia,
    MinutiaeRecord,
    MinutiaKind,
    decode_record,
    encode_record,
)
from passerelle.biometrics.fingerprint.templates import (
    EXTRACTOR,
    EXTRACTOR_VERSION,
    FingerprintTemplate,
)

__all__ = [
    "EXTRACTOR",
    "EXTRACTOR_VERSION",
    "MATCH_THRESHOLD",
    "MIN_MINUTIAE",
    "SEARCH_THRESHOLD",
    "FingerprintCandidate",
    "FingerprintGallery",
    "FingerprintTemplate",
    "Minutia",
    "MinutiaKind",
    "MinutiaeRecord",
    "PreparedTemplate",
    "Verification",
    "compare",
    "compare_prepared",
    "decode_record",
    "encode_record",
    "extract_template",
    "prepare",
    "verify",
]

"""ePassport chips: passive authentication (ICAO Doc 9303 Parts 10, 11 and 12). Pure.

A document reader hands over the chip's EF.SOD and data groups; :func:`verify_chip`
checks the SOD's signature with the document signer certificate, that certificate
against the issuing state's CSCA and its CRL (:class:`TrustAnchors`), each data group's
hash, that DG1 is the printed MRZ, the signer's country and the validity dates, and
answers with a :class:`ChipVerification` whose findings name each failure.
:func:`read_master_list` verifies an ICAO CSCA master list before its CSCAs are
trusted. Parsing is ``asn1crypto``'s, signatures and hashes ``cryptography``'s.
``specimen`` issues test and demonstration PKIs and chips. The codes: docs/chip.md.
"""

from passerelle.documents.chip.errors import ChipAlgorithmError, ChipDataError
from passerelle.documents.chip.findings import ChipFinding, ChipFindingCode
from passerelle.documents.chip.lds import FaceImage, dg1_mrz_lines, dg2_face_image
from passerelle.documents.chip.masterlist import MasterList, read_master_list
from passerelle.documents.chip.model import ChipData, ChipVerification
from passerelle.documents.chip.passive import verify_chip
from passerelle.documents.chip.trust import TrustAnchors, load_certificate, load_crl

__all__ = [
    "ChipAlgorithmError",
    "ChipData",
    "ChipDataError",
    "ChipFinding",
    "ChipFindingCode",
    "ChipVerification",
    "FaceImage",
    "MasterList",
    "TrustAnchors",
    "dg1_mrz_lines",
    "dg2_face_image",
    "load_certificate",
    "load_crl",
    "read_master_list",
    "verify_chip",
]

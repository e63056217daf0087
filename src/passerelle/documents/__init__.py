"""Travel-document checks (ICAO Doc 9303): pure, no I/O.

A border officer's reader hands over the machine readable zone (MRZ) of a
passport (TD3), identity card (TD1), official travel document (TD2), visa
(MRV-A, MRV-B) or France's 1988-2021 national identity card (``FRA-ID``, a
national layout). ``check_mrz`` lays it out, verifies every check digit, date,
state code and the sex field, proposes corrections for look-alike misreads,
and reports forgery indicators, each as a finding that names its field and
says why.

>>> from datetime import date
>>> check_mrz("I<UTOD23145890<7349<<<<<<<<<<<\\n3407127M9507122UTO<<<<<<<<<<<2\\n"
...           "STEVENSON<<PETER<JOHN<<<<<<<<<", as_of=date(2026, 1, 1)).document_number
'D23145890734'
"""

from passerelle.documents.check import check_mrz, read_mrz
from passerelle.documents.checksum import check_digit
from passerelle.documents.findings import Finding, FindingCode, OcrRepair, Severity
from passerelle.documents.layouts import MrzFormat
from passerelle.documents.model import DocumentCheck
from passerelle.documents.states import is_known_state, state_name
from passerelle.documents.text import split_documents
from passerelle.documents.typed import TypedDocument, check_typed, typed_document

__all__ = [
    "DocumentCheck",
    "Finding",
    "FindingCode",
    "MrzFormat",
    "OcrRepair",
    "Severity",
    "TypedDocument",
    "check_digit",
    "check_mrz",
    "check_typed",
    "is_known_state",
    "read_mrz",
    "split_documents",
    "state_name",
    "typed_document",
]

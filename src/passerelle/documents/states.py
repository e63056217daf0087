"""Issuing-state and nationality codes that may appear in an ICAO Doc 9303 MRZ.

The machine readable zone (MRZ) of a passport, ID card or visa carries two three-character
code fields: the issuing state or organisation, and the holder's nationality. ICAO Doc 9303
Part 3 §5 fills them with ISO 3166-1 alpha-3 codes, padded with '<' fillers where shorter,
plus a few codes of ICAO's own: Germany is written ``D<<`` (never ``DEU``), British
nationality statuses (``GBD``, ``GBN``...), international organisations (``UNO``, ``EUE``...),
person statuses that describe a holder but never issue a document (``XXA`` stateless,
``XXB``/``XXC`` refugees, ``XXX`` unspecified) and ``UTO`` (Utopia) for specimens only.

This module holds those codes as plain data and does no I/O; the names of ICAO's own codes
are marked for the catalogues (a page names them in its reader's language, and names the
ISO states from the two-letter codes of ``alpha2``).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from passerelle.i18n import N_
from passerelle.i18n.wording import Parameter, State

__all__ = [
    "BRITISH_STATUS_CODES",
    "ICAO_SPECIFIC",
    "ISO_ALPHA3",
    "KNOWN_CODES",
    "MRZ_SPELLING",
    "ORGANISATION_CODES",
    "PERSON_STATUS_CODES",
    "SPECIMEN_CODES",
    "is_known_state",
    "read_state_code",
    "state_name",
    "stated",
]

#: Every officially assigned ISO 3166-1 alpha-3 code (249), mapped to its English short name.
ISO_ALPHA3: Mapping[str, str] = MappingProxyType(
    {
        "ABW": "Aruba",
        "AFG": "Afghanistan",
        "AGO": "Angola",
        "AIA": "Anguilla",
        "ALA": "Åland Islands",
        "ALB": "Albania",
        "AND": "Andorra",
        "ARE": "United Arab Emirates",
        "ARG": "Argentina",
        "ARM": "Armenia",
        "ASM": "American Samoa",
        "ATA": "Antarctica",
        "ATF": "French Southern Territories",
        "ATG": "Antigua and Barbuda",
        "AUS": "Australia",
        "AUT": "Austria",
        "AZE": "Azerbaijan",
        "BDI": "Burundi",
        "BEL": "Belgium",
        "BEN": "Benin",
        "BES": "Bonaire, Sint Eustatius and Saba",
        "BFA": "Burkina Faso",
        "BGD": "Bangladesh",
        "BGR": "Bulgaria",
        "BHR": "Bahrain",
        "BHS": "Bahamas",
        "BIH": "Bosnia and Herzegovina",
        "BLM": "Saint Barthélemy",
        "BLR": "Belarus",
        "BLZ": "Belize",
        "BMU": "Bermuda",
        "BOL": "Bolivia (Plurinational State of)",
        "BRA": "Brazil",
        "BRB": "Barbados",
        "BRN": "Brunei Darussalam",
        "BTN": "Bhutan",
        "BVT": "Bouvet Island",
        "BWA": "Botswana",
        "CAF": "Central African Republic",
        "CAN": "Canada",
        "CCK": "Cocos (Keeling) Islands",
        "CHE": "Switzerland",
        "CHL": "Chile",
        "CHN": "China",
        "CIV": "Côte d'Ivoire",
        "CMR": "Cameroon",
        "COD": "Congo, Democratic Republic of the",
        "COG": "Congo",
        "COK": "Cook Islands",
        "COL": "Colombia",
        "COM": "Comoros",
        "CPV": "Cabo Verde",
        "CRI": "Costa Rica",
        "CUB": "Cuba",
        "CUW": "Curaçao",
        "CXR": "Christmas Island",
        "CYM": "Cayman Islands",
        "CYP": "Cyprus",
        "CZE": "Czechia",
        "DEU": "Germany",
        "DJI": "Djibouti",
        "DMA": "Dominica",
        "DNK": "Denmark",
        "DOM": "Dominican Republic",
        "DZA": "Algeria",
        "ECU": "Ecuador",
        "EGY": "Egypt",
        "ERI": "Eritrea",
        "ESH": "Western Sahara",
        "ESP": "Spain",
        "EST": "Estonia",
        "ETH": "Ethiopia",
        "FIN": "Finland",
        "FJI": "Fiji",
        "FLK": "Falkland Islands (Malvinas)",
        "FRA": "France",
        "FRO": "Faroe Islands",
        "FSM": "Micronesia (Federated States of)",
        "GAB": "Gabon",
        "GBR": "United Kingdom of Great Britain and Northern Ireland",
        "GEO": "Georgia",
        "GGY": "Guernsey",
        "GHA": "Ghana",
        "GIB": "Gibraltar",
        "GIN": "Guinea",
        "GLP": "Guadeloupe",
        "GMB": "Gambia",
        "GNB": "Guinea-Bissau",
        "GNQ": "Equatorial Guinea",
        "GRC": "Greece",
        "GRD": "Grenada",
        "GRL": "Greenland",
        "GTM": "Guatemala",
        "GUF": "French Guiana",
        "GUM": "Guam",
        "GUY": "Guyana",
        "HKG": "Hong Kong",
        "HMD": "Heard Island and McDonald Islands",
        "HND": "Honduras",
        "HRV": "Croatia",
        "HTI": "Haiti",
        "HUN": "Hungary",
        "IDN": "Indonesia",
        "IMN": "Isle of Man",
        "IND": "India",
        "IOT": "British Indian Ocean Territory",
        "IRL": "Ireland",
        "IRN": "Iran (Islamic Republic of)",
        "IRQ": "Iraq",
        "ISL": "Iceland",
        "ISR": "Israel",
        "ITA": "Italy",
        "JAM": "Jamaica",
        "JEY": "Jersey",
        "JOR": "Jordan",
        "JPN": "Japan",
        "KAZ": "Kazakhstan",
        "KEN": "Kenya",
        "KGZ": "Kyrgyzstan",
        "KHM": "Cambodia",
        "KIR": "Kiribati",
        "KNA": "Saint Kitts and Nevis",
        "KOR": "Korea, Republic of",
        "KWT": "Kuwait",
        "LAO": "Lao People's Democratic Republic",
        "LBN": "Lebanon",
        "LBR": "Liberia",
        "LBY": "Libya",
        "LCA": "Saint Lucia",
        "LIE": "Liechtenstein",
        "LKA": "Sri Lanka",
        "LSO": "Lesotho",
        "LTU": "Lithuania",
        "LUX": "Luxembourg",
        "LVA": "Latvia",
        "MAC": "Macao",
        "MAF": "Saint Martin (French part)",
        "MAR": "Morocco",
        "MCO": "Monaco",
        "MDA": "Moldova, Republic of",
        "MDG": "Madagascar",
        "MDV": "Maldives",
        "MEX": "Mexico",
        "MHL": "Marshall Islands",
        "MKD": "North Macedonia",
        "MLI": "Mali",
        "MLT": "Malta",
        "MMR": "Myanmar",
        "MNE": "Montenegro",
        "MNG": "Mongolia",
        "MNP": "Northern Mariana Islands",
        "MOZ": "Mozambique",
        "MRT": "Mauritania",
        "MSR": "Montserrat",
        "MTQ": "Martinique",
        "MUS": "Mauritius",
        "MWI": "Malawi",
        "MYS": "Malaysia",
        "MYT": "Mayotte",
        "NAM": "Namibia",
        "NCL": "New Caledonia",
        "NER": "Niger",
        "NFK": "Norfolk Island",
        "NGA": "Nigeria",
        "NIC": "Nicaragua",
        "NIU": "Niue",
        "NLD": "Netherlands (Kingdom of the)",
        "NOR": "Norway",
        "NPL": "Nepal",
        "NRU": "Nauru",
        "NZL": "New Zealand",
        "OMN": "Oman",
        "PAK": "Pakistan",
        "PAN": "Panama",
        "PCN": "Pitcairn",
        "PER": "Peru",
        "PHL": "Philippines",
        "PLW": "Palau",
        "PNG": "Papua New Guinea",
        "POL": "Poland",
        "PRI": "Puerto Rico",
        "PRK": "Korea (Democratic People's Republic of)",
        "PRT": "Portugal",
        "PRY": "Paraguay",
        "PSE": "Palestine, State of",
        "PYF": "French Polynesia",
        "QAT": "Qatar",
        "REU": "Réunion",
        "ROU": "Romania",
        "RUS": "Russian Federation",
        "RWA": "Rwanda",
        "SAU": "Saudi Arabia",
        "SDN": "Sudan",
        "SEN": "Senegal",
        "SGP": "Singapore",
        "SGS": "South Georgia and the South Sandwich Islands",
        "SHN": "Saint Helena, Ascension and Tristan da Cunha",
        "SJM": "Svalbard and Jan Mayen",
        "SLB": "Solomon Islands",
        "SLE": "Sierra Leone",
        "SLV": "El Salvador",
        "SMR": "San Marino",
        "SOM": "Somalia",
        "SPM": "Saint Pierre and Miquelon",
        "SRB": "Serbia",
        "SSD": "South Sudan",
        "STP": "Sao Tome and Principe",
        "SUR": "Suriname",
        "SVK": "Slovakia",
        "SVN": "Slovenia",
        "SWE": "Sweden",
        "SWZ": "Eswatini",
        "SXM": "Sint Maarten (Dutch part)",
        "SYC": "Seychelles",
        "SYR": "Syrian Arab Republic",
        "TCA": "Turks and Caicos Islands",
        "TCD": "Chad",
        "TGO": "Togo",
        "THA": "Thailand",
        "TJK": "Tajikistan",
        "TKL": "Tokelau",
        "TKM": "Turkmenistan",
        "TLS": "Timor-Leste",
        "TON": "Tonga",
        "TTO": "Trinidad and Tobago",
        "TUN": "Tunisia",
        "TUR": "Türkiye",
        "TUV": "Tuvalu",
        "TWN": "Taiwan, Province of China",
        "TZA": "Tanzania, United Republic of",
        "UGA": "Uganda",
        "UKR": "Ukraine",
        "UMI": "United States Minor Outlying Islands",
        "URY": "Uruguay",
        "USA": "United States of America",
        "UZB": "Uzbekistan",
        "VAT": "Holy See",
        "VCT": "Saint Vincent and the Grenadines",
        "VEN": "Venezuela (Bolivarian Republic of)",
        "VGB": "Virgin Islands (British)",
        "VIR": "Virgin Islands (U.S.)",
        "VNM": "Viet Nam",
        "VUT": "Vanuatu",
        "WLF": "Wallis and Futuna",
        "WSM": "Samoa",
        "YEM": "Yemen",
        "ZAF": "South Africa",
        "ZMB": "Zambia",
        "ZWE": "Zimbabwe",
    }
)

#: Codes ICAO Doc 9303 Part 3 §5 adds to ISO 3166-1, as read from the MRZ with the trailing
#: '<' fillers removed (German documents write ``D<<``, read here as ``D``); their English
#: names are marked for the catalogues.
ICAO_SPECIFIC: Mapping[str, str] = MappingProxyType(
    {
        "D": N_("Germany"),
        "GBD": N_("British Overseas Territories Citizen"),
        "GBN": N_("British National (Overseas)"),
        "GBO": N_("British Overseas Citizen"),
        "GBP": N_("British Protected Person"),
        "GBS": N_("British Subject"),
        "UNO": N_("United Nations Organization or one of its officials"),
        "UNA": N_("United Nations specialized agency or one of its officials"),
        "UNK": N_("Resident of Kosovo, travel document issued by UNMIK"),
        "RKS": N_("Kosovo"),
        "EUE": N_("European Union"),
        "XBA": N_("African Development Bank"),
        "XIM": N_("African Export-Import Bank"),
        "XCC": N_("Caribbean Community (CARICOM)"),
        "XCE": N_("Council of Europe"),
        "XCO": N_("Common Market for Eastern and Southern Africa (COMESA)"),
        "XDC": N_("Southern African Development Community"),
        "XEC": N_("Economic Community of West African States (ECOWAS)"),
        "XES": N_("Organisation of Eastern Caribbean States"),
        "XMP": N_("Parliamentary Assembly of the Mediterranean"),
        "XOM": N_("Sovereign Military Order of Malta"),
        "XPO": N_("INTERPOL"),
        "XXA": N_("Stateless person"),
        "XXB": N_("Refugee (1951 Convention)"),
        "XXC": N_("Refugee (other)"),
        "XXX": N_("Person of unspecified nationality"),
        "UTO": N_("Utopia"),
    }
)

#: Codes that describe the holder only: they may stand as nationality, never as issuer.
PERSON_STATUS_CODES: frozenset[str] = frozenset({"XXA", "XXB", "XXC", "XXX"})

#: British nationality statuses: only the United Kingdom (``GBR``) documents them.
BRITISH_STATUS_CODES: frozenset[str] = frozenset({"GBD", "GBN", "GBO", "GBP", "GBS"})

#: Codes found only on ICAO specimen documents, never on a genuine one.
SPECIMEN_CODES: frozenset[str] = frozenset({"UTO"})

#: International organisations that issue travel documents.
ORGANISATION_CODES: frozenset[str] = frozenset(
    {
        "UNO",
        "UNA",
        "EUE",
        "XBA",
        "XIM",
        "XCC",
        "XCE",
        "XCO",
        "XDC",
        "XEC",
        "XES",
        "XMP",
        "XOM",
        "XPO",
    }
)

#: ISO 3166-1 codes that ICAO writes otherwise in an MRZ (fillers removed).
MRZ_SPELLING: Mapping[str, str] = MappingProxyType({"DEU": "D"})

_FILLER = "<"
_KNOWN_CODES: frozenset[str] = frozenset(ISO_ALPHA3) | frozenset(ICAO_SPECIFIC)
KNOWN_CODES = _KNOWN_CODES
"""Every code an MRZ state field may hold, fillers removed (ISO alpha-3 and ICAO-specific)."""


def read_state_code(raw: str) -> str:
    """Strip the trailing '<' fillers from an MRZ state field (ICAO 9303 Part 3 §5).

    Never raises; a field made only of fillers reads as the empty string.

    >>> read_state_code("D<<"), read_state_code("MAR"), read_state_code("<<<")
    ('D', 'MAR', '')
    """
    return raw.rstrip(_FILLER)


def is_known_state(code: str) -> bool:
    """Tell whether a code is ISO 3166-1 alpha-3 or ICAO-specific (ICAO 9303 Part 3 §5).

    ``code`` is as returned by :func:`read_state_code`, fillers removed.

    >>> is_known_state("MAR"), is_known_state("D"), is_known_state("XXA"), is_known_state("ZZZ")
    (True, True, True, False)
    """
    return code in _KNOWN_CODES


def state_name(code: str) -> str | None:
    """Return the English name of an ISO or ICAO-specific code (ICAO 9303 Part 3 §5), else None.

    >>> state_name("MAR"), state_name("D"), state_name("ZZZ")
    ('Morocco', 'Germany', None)
    """
    name = ISO_ALPHA3.get(code)
    if name is None:
        name = ICAO_SPECIFIC.get(code)
    return name


def stated(code: str, *, with_code: bool = True) -> Parameter:
    """A state to put into a sentence: named (``Morocco (MAR)``, a page's reader reads the
    name in their language) when the code is known, else the code as it is.

    >>> stated("MAR").english, stated("D", with_code=False).english, stated("ZZZ")
    ('Morocco (MAR)', 'Germany', 'ZZZ')
    """
    name = state_name(code)
    return State(code, name, with_code) if name is not None else code

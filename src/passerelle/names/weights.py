"""The name engine's weights: every number that scores a match or picks the candidates.

Evidence is counted in bits (``compare.py``): a name part that agrees earns the
part's own bits (``log2(1 / share)``, from the lexicon and the list) times a
share set by how closely the two spellings agree; a part one side lacks, a date
of birth, a nationality and a sex then add or take bits; the total maps to a
score in [0, 1] that reaches ``DEFAULT_THRESHOLD`` at ``alert_bits``. Retrieval
(``index.py``) chooses which persons are compared at all.

The defaults are the engine as tuned on ``bench/data/names_eval`` (tuning half)
and checked on the UN list (``docs/names.md``). A field's docstring says what it
weighs and why its default is what it is. ``bench/name_quality.py --set
field=value`` (or ``--sweep field=v1,v2``) measures another setting; a node
always screens with :data:`DEFAULT_WEIGHTS`.

>>> DEFAULT_WEIGHTS.alert_bits
20.0
>>> NameWeights(spread_bits=0.0)
Traceback (most recent call last):
...
passerelle.exc.InvalidInput: spread_bits: must be above 0, not 0.0
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from passerelle.exc import InvalidInput
from passerelle.names.lexicon import DEFAULT_SHARE

__all__ = ["DEFAULT_WEIGHTS", "NameWeights"]

_SHARES = (
    "min_coverage",
    "similarity_floor",
    "variant_min_similarity",
    "variant_max_similarity",
    "variant_short_jaro_winkler",
    "same_consonants_across_scripts",
    "same_consonants_short",
    "article_similarity",
    "particle_left_out_similarity",
    "truncated_spelling_similarity",
    "truncated_skeleton_similarity",
    "close_spelling_jaro_winkler",
    "close_spelling_base",
    "one_letter_apart_similarity",
    "one_letter_apart_jaro_winkler",
    "alternate_reading_similarity",
    "merged_min_similarity",
    "fuzzy_key_share",
    "prune_share",
)
"""Fields that are shares or similarities: each in [0, 1]."""
_POSITIVE = ("spread_bits", "unknown_part_share")
_AT_LEAST_ONE = (
    "candidates",
    "lone_conflict_min_parts",
    "rare_neighbour_postings",
    "common_posting",
    "same_day_postings",
    "own_counts_from",
)


@dataclass(frozen=True, slots=True)
class NameWeights:
    """The weights of name screening, in bits of evidence unless said otherwise.

    Signed evidence fields (``*_bits`` of a comparison) are added to the total as
    they are: positive for "the same person", negative against. Costs
    (``missing_*``, ``conflict_bits``) are subtracted.
    """

    # -- calibration ---------------------------------------------------------------------

    alert_bits: float = 20.0
    """Evidence at which a match reaches ``DEFAULT_THRESHOLD`` (0.7). Twenty bits is a
    full name of common parts with the full date of birth ("Mohamed Ben Ali", 1985-03-02),
    or a rare name spelled another way; not a common name alone (about 13 bits)."""
    spread_bits: float = 4.0
    """Bits that move the score by one logit around the threshold: four bits (one common
    name part) separate a look-again score (0.5) from an alert."""
    min_coverage: float = 0.55
    """Share of the query's name bits, or of the record's (the larger), that must find a
    counterpart for the person to be scored at all: just over half, so that one rare
    part shared by two otherwise different names (a family name) does not make a
    match, while a short record within a long alias (a father's name added) does."""

    # -- name parts ----------------------------------------------------------------------

    unknown_part_share: float = DEFAULT_SHARE
    """Population share assumed for a name part the lexicon has no figure for (2e-4,
    about 12.3 bits): as rare as an uncommon family name in the region."""
    missing_in_record_bits: float = 3.0
    """Cost of a query part the record lacks: passports print fewer names than records
    hold, so a part the passport shows and the record does not is real evidence."""
    missing_in_query_bits: float = 1.0
    """Cost of a record part the query lacks: records carry fuller names (a father's and
    grandfather's name) than a passport, so this costs little."""
    missing_in_query_max_parts: int = 2
    """Record parts the query lacks that are charged at most: a record of six parts is
    not twice as unlike a two-part passport name as one of four."""
    conflict_bits: float = 4.0
    """Base cost of a part each side has and the other lacks (siblings and namesakes
    differ just so); half the two parts' own bits are added to it, so two rare parts
    that differ cost more than two common ones. The first such pair, when neither is a
    first part and the longer name has ``lone_conflict_min_parts`` parts, adds those
    bits only in proportion to the query part's share of the query's name bits: one
    unlike part of four (a kunya, a father's name, a spelling past recognition) costs
    a quarter, it does not veto the three that agree."""

    # -- how alike two spellings of a part are (similarity in [0, 1]) ----------------------

    similarity_floor: float = 0.5
    """Similarity that earns nothing: a part earns its bits times
    ``(similarity - floor) / (1 - floor)``, so a mere 0.5 alike is no evidence."""
    variant_min_similarity: float = 0.92
    """Least similarity of two spellings with the same consonant skeleton (Mohamed and
    Muhammad): almost the same name, whatever Jaro-Winkler says of the vowels."""
    variant_max_similarity: float = 0.97
    """Most similarity of two different spellings with one skeleton, under the 1.0 of
    the same spelling: an exact spelling always ranks first."""
    variant_short_jaro_winkler: float = 0.75
    """Jaro-Winkler from which two Latin parts with the same two-consonant skeleton are
    spelling variants (Ali and Aly) rather than different short names (Ali and Ela)."""
    same_consonants_across_scripts: float = 0.8
    """Similarity of a short part whose skeleton agrees across scripts (علي and Ali):
    the vowels cannot be compared, so less than a Latin variant."""
    same_consonants_short: float = 0.6
    """Similarity of two short Latin parts with the same skeleton but unlike vowels:
    barely evidence (0.2 of the part's bits)."""
    article_similarity: float = 0.95
    """Similarity of a part with and without its article (El Idrissi and Idrissi): the
    article is often dropped in one script or the other."""
    particle_left_out_similarity: float = 0.8
    """Similarity of a part with and without its bound particle (Ben Ali and Ali): a
    particle changes the name more than an article does."""
    truncated_spelling_similarity: float = 0.9
    """Similarity of an MRZ part cut at the field's end that begins the record's
    spelling (three letters or more)."""
    truncated_skeleton_similarity: float = 0.85
    """Similarity of a cut MRZ part whose skeleton begins the record's: looser than a
    letter-for-letter prefix."""
    close_spelling_jaro_winkler: float = 0.86
    """Jaro-Winkler from which two Latin parts of four letters or more with different
    skeletons are a close spelling (Traoré and Taore)."""
    close_spelling_base: float = 0.7
    """Similarity of a close spelling at ``close_spelling_jaro_winkler``."""
    close_spelling_slope: float = 1.5
    """Similarity gained per point of Jaro-Winkler above the close-spelling cut-off (0.86
    to 1.0 maps to 0.70 to 0.91)."""
    one_letter_apart_similarity: float = 0.75
    """Similarity of two skeletons of three letters or more one edit apart (a typo, a
    reading slip)."""
    one_letter_apart_jaro_winkler: float = 0.8
    """Jaro-Winkler two Latin parts one skeleton edit apart need too: one letter changes
    Ahmed into Hamid, and these are two names."""
    alternate_reading_similarity: float = 0.92
    """Similarity of two parts whose skeletons meet once a letter the region reads two
    ways is read the other way (ظ z or dh, ث t or s, ض d or z, ق k or g): Dhawahri and
    Zawahiri, Usman and عثمان. A spelling of the name, not quite a variant."""
    merged_min_similarity: float = 0.9
    """Least similarity for two adjacent parts to match one (Fatima Zahra and
    Fatimazahra): only a near-exact agreement joins parts."""
    merged_pair_discount_bits: float = 0.01
    """Bits a joined-parts agreement earns less than the single part's, so that a
    part-for-part alignment of equal worth is taken first."""

    lone_conflict_min_parts: int = 4
    """Parts the longer of two names needs for its one unlike part to cost in proportion
    (``conflict_bits``): in a name of three parts, one part is a third of it, and two
    namesakes differing in it (Jorge Diaz Gil, Jorge Moreno Gil) are two people."""
    nasab_min_bits: float = 5.0
    """Least bits of an unmatched first part for a name shifted one generation (Qusay
    Saddam Hussein against Saddam Hussein) to be read as son and father: a first part
    as common as Mohamed (4 bits) more often opens a compound given name (Mohamed
    Amine) than a son's chain."""

    # -- date of birth, nationality, sex (signed evidence) ---------------------------------

    birth_same_date_bits: float = 11.0
    """The same full date of birth: worth about a rare family name. A day over the span of
    a list's birth years is rarer still (some 14 bits); less is counted because listed
    dates are often estimates (1 January, the 1st of the month)."""
    birth_same_first_of_january_bits: float = 6.0
    """Both dates 1 January of the same year: registers write 1 January for an unknown day
    and month (a quarter of some Sahel registers' dates), so only the year agrees for
    sure: about one year in the sixty a list spans."""
    birth_day_month_swapped_bits: float = 8.0
    """Full dates with day and month swapped (an American-order entry): nearly as sure."""
    birth_one_digit_apart_bits: float = 6.0
    """Full dates one digit apart (a typing or reading slip)."""
    birth_same_year_other_day_bits: float = -2.0
    """Full dates in the same year, another day: a little against (a namesake of that
    year), not a contradiction (dates are mistyped)."""
    birth_year_apart_full_bits: float = -5.0
    """Full dates a year apart (and not one digit apart): against."""
    birth_same_year_and_month_bits: float = 6.0
    """A partial date agreeing on year and month."""
    birth_same_year_other_month_bits: float = 1.0
    """Dates of the same year whose months differ (one side partial)."""
    birth_same_year_bits: float = 4.0
    """The same year of birth, no month on one side: less than one year in the sixty a
    list spans (6 bits), as listed years are often estimated."""
    birth_year_apart_bits: float = -3.0
    """Partial dates a year apart: against, less than for full dates (years of birth
    are often estimated)."""
    birth_contradicts_bits: float = -9.0
    """Years two or more apart: different people, whatever the names; more than a
    common name earns, so "Mohamed Ben Ali, born 1990" never alerts on one born 1985."""
    nationality_agrees_bits: float = 1.5
    """A nationality the record lists: weak (a region's names share nationalities)."""
    nationality_differs_bits: float = -1.5
    """A nationality the record does not list: weak against (dual nationals, records
    with one nationality of several)."""
    sex_agrees_bits: float = 0.5
    """The same sex: half the population does."""
    sex_differs_bits: float = -5.0
    """Another sex: a contradiction, the match is never an alert."""

    # -- retrieval: which persons are compared in full -------------------------------------

    candidates: int = 60
    """Persons compared in full per query, the best by the weight of the keys they share
    with it: enough to find the right one among a thousand namesakes of a common name
    once the year of birth has ranked them, few enough to keep a query cheap."""
    fuzzy_key_share: float = 0.5
    """Share of a key's weight a key one letter away brings (a typo is likelier than
    not, but less sure than the spelling given)."""
    rare_neighbour_postings: int = 200
    """Persons a key one letter away may hold (or a 500th of the list) to be followed: a
    rare neighbour is a typo, a common one another name (Ahmed, Hamid)."""
    common_posting: int = 5000
    """Persons from which a key (and a fiftieth of the list) is common: it only adds its
    weight to the persons rarer keys brought in."""
    prune_share: float = 0.3
    """Candidates whose shared keys weigh less than this share of the best one's are not
    compared."""
    retrieval_year_bits: float = 6.0
    """Retrieval weight for or against a candidate whose year of birth agrees or is two
    years or more away, among more than ``candidates`` namesakes."""
    retrieval_same_day_bits: float = 6.0
    """Retrieval weight, beyond the year's, for a candidate born the very day the query
    was, among more than ``candidates`` namesakes."""
    same_day_postings: int = 2000
    """Persons born one day from which that day brings in no one sharing only a common
    key (1 January: the registers' unknown day)."""
    contradicted_margin_bits: float = 6.0
    """A contradicted match (date of birth, sex) is held this far below ``alert_bits``:
    a namesake is never an alert, however close the names."""
    own_counts_from: int = 2000
    """Persons from which the list's own counts weigh a part (a part the list holds often
    is common here, whatever the lexicon says); a smaller list is too small to tell."""

    def __post_init__(self) -> None:
        for name in _SHARES:
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise InvalidInput(name, f"must be in [0, 1], not {value!r}")
        for name in _POSITIVE:
            value = getattr(self, name)
            if not value > 0.0:
                raise InvalidInput(name, f"must be above 0, not {value!r}")
        for name in _AT_LEAST_ONE:
            value = getattr(self, name)
            if value < 1:
                raise InvalidInput(name, f"must be 1 or more, not {value!r}")
        if self.similarity_floor >= 1.0:
            raise InvalidInput("similarity_floor", "must be below 1")
        if self.variant_min_similarity > self.variant_max_similarity:
            raise InvalidInput("variant_min_similarity", "must not exceed variant_max_similarity")
        if self.missing_in_query_max_parts < 0:
            raise InvalidInput("missing_in_query_max_parts", "must be 0 or more")

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        """Every weight's name, in the order of the class (for ``--set`` and reports)."""
        return tuple(f.name for f in fields(cls))


DEFAULT_WEIGHTS = NameWeights()
"""The weights every node screens with."""

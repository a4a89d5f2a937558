"""Indonesian names, normalised for comparing (record linkage, issue #3, and intake's NIK-name check): the same person is written "Muhammad",
"Mohamad", "Moh." or "M."; titles (H., Hj., Dr.) and degrees (S.Pd., A.Md.) come and go; "bin/binti" and a
father's name are added by one office and left out by another; old spelling (Soekarno, Djoko, Tjahjo) lives
on. Pure: no Django. The normalised name is for comparing, never for showing."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Honorifics and titles written before a name.
TITLES = frozenset(
    "h hj haji hajah hajjah ir dr drs dra prof kh ust ustad ustadz ustadzah tgk teuku ny nn tn sdr sdri bpk bapak "
    "ibu alm almh almarhum almarhumah".split()
)
# Degrees written after a name without a comma ("Budi Santoso S.Pd"), as they read once dots are gone.
DEGREES = frozenset(
    "spd se sh skom st ssos sag sip ssi skes skep sked shum sikom ssy sth spdi sfarm spsi sak mm ma mba mpd msi mh "
    "mkes mkom mt amd ama amk amkeb amkep".split()
)
PATRONYM_MARKERS = frozenset({"bin", "binti", "bt", "bn"})
# Frequent names and their spellings: each variant -> one canonical form (then double letters fold).
_CANONICAL = {
    "muhammad": "mohammad mohamad muhamad mohamed muhammed mochammad mochamad muhamat mohd moh muh mhd md",
    "ahmad": "achmad akhmad ahmat achmat amad",
    "abdul": "abd abdoel abdol",
    "siti": "sitti st",
    "nur": "noer nurul",
    "yusuf": "yusup yoesoef jusuf yosef",
    "rahmat": "rachmat rakhmat rahmad",
    "syarifah": "sarifah syarifa sharifah",
    "fatimah": "fatima patimah fathimah",
    "aisyah": "aisah aisya aisyiah aishah",
    "khadijah": "hadijah kadijah chadijah",
    "komarudin": "qomarudin komaruddin qomaruddin",
    "sugeng": "soegeng",
    "yohanes": "johanes johannes",
    "rohmat": "rochmat rokhmat",
    "abdurrahman": "abdurahman",
    "zainal": "zaenal",
    "syaiful": "saiful syaifful",
    "mustofa": "mustafa musthofa",
}
CANONICAL = {
    re.sub(r"(.)\1+", r"\1", variant): canon
    for canon, variants in _CANONICAL.items()
    for variant in variants.split()
}  # keyed by the folded spelling: tokens fold their doubled letters before the lookup
_PARENS = re.compile(r"\([^)]*\)")
_NOT_LETTER = re.compile(r"[^a-z ]+")


@dataclass(frozen=True)
class NameParts:
    given: str  # the person's own name, normalised
    patronym: str  # what followed bin/binti, normalised ("" where none)


def _ascii_lower(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def _old_spelling(token: str) -> str:
    """Ejaan van Ophuijsen / Soewandi forms still on ID cards: oe -> u, dj -> j, tj -> c, and, in a word that
    shows those marks, j -> y (Tjahjo = Cahyo, Djojo = Joyo). A modern "Joko" is left alone."""
    if not any(mark in token for mark in ("oe", "dj", "tj")):
        return token
    token = token.replace("dj", "\0").replace("tj", "c").replace("oe", "u").replace("j", "y")
    return token.replace("\0", "j")


def _fold_doubles(token: str) -> str:
    return re.sub(r"(.)\1+", r"\1", token)


def _token(token: str) -> str:
    token = _old_spelling(token)
    return _fold_doubles(CANONICAL.get(token, token))


def name_parts(name: str) -> NameParts:
    text = _ascii_lower(name or "")
    text = text.split(",")[0]  # degrees follow the first comma: "Dr. H. Ahmad, S.E., M.M."
    text = _PARENS.sub(" ", text)
    text = text.replace("'", "").replace("`", "").replace("\u2019", "")  # Nur'aini = Nuraini
    # Doubled letters fold first ("Mohammad" = "Mohamad", "HH" = "H"), so that titles and degrees are
    # recognised in the form the result will have and normalising a normalised name changes nothing
    # (Hypothesis found "HH0A" and "A0MAA").
    tokens = [_fold_doubles(t) for t in _NOT_LETTER.sub(" ", text.replace(".", ". ")).split()]
    while tokens and tokens[0] in TITLES and len(tokens) > 1:
        tokens.pop(0)
    while len(tokens) > 1 and tokens[-1] in DEGREES:
        tokens.pop()
    # Degrees written with dots, now split into letters: "s pd", "a md".
    while len(tokens) > 2 and len(tokens[-2]) == 1 and tokens[-2] + tokens[-1] in DEGREES:
        del tokens[-2:]
    if len(tokens) > 1 and tokens[0] == "m":
        tokens[0] = "muhammad"  # "M. Yusuf": a leading M. is Muhammad; elsewhere an M is just an initial
    given, patronym = tokens, []
    for i, tok in enumerate(tokens):
        if tok in PATRONYM_MARKERS and 0 < i < len(tokens) - 1:
            given, patronym = tokens[:i], tokens[i + 1 :]
            break
    return NameParts(" ".join(_token(t) for t in given), " ".join(_token(t) for t in patronym))


def name_normalise(name: str) -> str:
    """The comparable form of a person's own name: "H. Moh. Yusuf bin Ahmad, S.Pd." -> "muhamad yusuf"."""
    return name_parts(name).given


def names_clearly_differ(a: str, b: str) -> bool:
    """True when two names share no word once normalised ("Budi Santoso" / "Siti Aminah"), so one NIK is
    carried by what look like two people. "Budi" and "H. Budi Santoso, S.Pd." do not differ."""
    left, right = set(name_normalise(a).split()), set(name_normalise(b).split())
    return bool(left and right) and not left & right

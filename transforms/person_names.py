"""Author identity: normalised names, identity keys and stable author ids.

An author slot with a claimed HF account is 'hf:<username>'; any other slot is
'name:<normalised name>'. author_id is the first 16 hex digits of
sha1(identity_key), so it is the same across papers, days and reruns.
"""

from __future__ import annotations

import hashlib

import polars as pl
import polars_hash

# Letters that NFKD does not decompose into a base letter plus accents.
_UNDECOMPOSED_LETTERS = {
    "ł": "l",
    "ı": "i",
    "ø": "o",
    "đ": "d",
    "ð": "d",
    "ħ": "h",
    "ŧ": "t",
    "þ": "th",
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
}
# Apostrophes join ("O'Brien" -> "obrien"); other punctuation separates ("Jean-Pierre" -> "jean pierre").
_APOSTROPHES = r"['’‘`´ʼ]"
_PENDING_STATUS = "extracted_pending"
AUTHOR_ID_LENGTH = 16


def normalise_person_name_expr(name: pl.Expr) -> pl.Expr:
    """NFKD, drop accents, fold ł/ı/ø and friends, lowercase, drop punctuation, collapse whitespace."""
    return (
        name.str.normalize("NFKD")
        .str.replace_all(r"\p{M}+", "")
        .str.to_lowercase()
        .str.replace_many(_UNDECOMPOSED_LETTERS)
        .str.replace_all(_APOSTROPHES, "")
        .str.replace_all(r"[\p{P}\p{S}]+", " ")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )


def normalise_person_name(name: str | None) -> str | None:
    """Python form of normalise_person_name_expr; runs the same expression so the two never disagree."""
    if name is None:
        return None
    if not isinstance(name, str):
        raise TypeError(f"normalise_person_name expects a string, got {type(name).__name__}")
    return pl.select(normalise_person_name_expr(pl.lit(name, dtype=pl.Utf8))).item()


def author_identity_key_expr(name: pl.Expr, username: pl.Expr, status: pl.Expr) -> pl.Expr:
    """'hf:<username>' for a linked account not pending confirmation, else 'name:<normalised name>'.

    A name with nothing left after normalisation (all punctuation) keys on its
    lowercased text so such authors do not all merge into one 'name:'.
    """
    return identity_key_from_normalised(normalise_person_name_expr(name), name, username, status)


def identity_key_from_normalised(normalised: pl.Expr, name: pl.Expr, username: pl.Expr, status: pl.Expr) -> pl.Expr:
    """author_identity_key_expr with the normalised name already computed (it is the costly part)."""
    claimed = username.is_not_null() & status.fill_null("").ne(_PENDING_STATUS)
    name_part = pl.when(normalised.ne("")).then(normalised).otherwise(name.str.strip_chars().str.to_lowercase())
    return pl.when(claimed).then(pl.concat_str(pl.lit("hf:"), username)).otherwise(pl.concat_str(pl.lit("name:"), name_part))


def author_id_expr(identity_key: pl.Expr) -> pl.Expr:
    """First 16 hex digits of sha1(identity_key), computed in Polars (polars-hash)."""
    return polars_hash.NonCryptographicHashingNameSpace(identity_key).sha1().str.slice(0, AUTHOR_ID_LENGTH)


def author_key_expr(author_id: pl.Expr) -> pl.Expr:
    """The warehouse's author_key(author_id) macro in Polars: the first 16 hex digits of
    md5(author_id) as an unsigned 64-bit number."""
    return polars_hash.NonCryptographicHashingNameSpace(author_id).md5().str.slice(0, 16).str.to_integer(base=16, dtype=pl.UInt64)


def author_id_for(identity_key: str) -> str:
    """author_id for one identity key ('hf:akhaliq', 'name:yang shen'); equals author_id_expr."""
    return hashlib.sha1(identity_key.encode("utf-8")).hexdigest()[:AUTHOR_ID_LENGTH]

"""`field__under=path`: rows in the subtree at `path`, as an index range on both databases.

A materialized path's subtree is every path that starts with it. `LIKE 'P%'` cannot use an
index on SQLite (nor on PostgreSQL under a non-C collation), so the prefix becomes the range
[P, successor(P)): paths use treebeard's alphabet 0-9A-Z, which sorts the same way in every
collation, and no path lies between P's subtree and the next sibling prefix.
"""

from __future__ import annotations

from django.db.models import CharField, Lookup

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def path_successor(path: str) -> str | None:
    """The smallest path prefix after every path that starts with `path` (None past the last)."""
    chars = list(path)
    while chars:
        position = ALPHABET.find(chars[-1])
        if position < 0:
            raise ValueError(f"not a tree path: {path!r}")
        if position + 1 < len(ALPHABET):
            chars[-1] = ALPHABET[position + 1]
            return "".join(chars)
        chars.pop()
    return None


@CharField.register_lookup
class Under(Lookup):
    lookup_name = "under"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        if not isinstance(self.rhs, str):
            raise TypeError("__under takes a path string")
        lhs, lhs_params = self.process_lhs(compiler, connection)
        upper = path_successor(self.rhs)
        if upper is None:
            return f"{lhs} >= %s", [*lhs_params, self.rhs]
        return f"({lhs} >= %s AND {lhs} < %s)", [*lhs_params, self.rhs, *lhs_params, upper]

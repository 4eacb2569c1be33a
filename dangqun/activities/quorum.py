"""Quorum and majority of a 支部党员大会 (RULES.md §2.1), as pure functions.

`should_attend` counts the voting (正式) members who should attend; 预备党员 have no vote.
- Ordinary business: quorate with “半数以上” present — ≥ ½ when `inclusive` (config
  `activities.quorum.ordinary_inclusive`, default true), > ½ otherwise; passes when the yes votes
  are > ½ of those who should attend.
- Membership votes (admission, confirmation, extension, cancellation): quorate only with strictly
  > ½ present; passes when yes votes plus written yes views of absent voting members are > ½ of
  those who should attend.
"""

from __future__ import annotations

from dataclasses import dataclass


def ordinary_quorate(*, should_attend: int, present: int, inclusive: bool = True) -> bool:
    if should_attend <= 0:
        return False
    return 2 * present >= should_attend if inclusive else 2 * present > should_attend


def membership_quorate(*, should_attend: int, present: int) -> bool:
    return should_attend > 0 and 2 * present > should_attend


def majority(*, yes: int, should_attend: int) -> bool:
    return should_attend > 0 and 2 * yes > should_attend


@dataclass(frozen=True)
class VoteOutcome:
    quorate: bool
    passed: bool


def decide(
    *,
    membership: bool,
    should_attend: int,
    present: int,
    yes: int,
    written_yes: int = 0,
    inclusive: bool = True,
) -> VoteOutcome:
    """The outcome of one vote. Written views count only for membership votes."""
    if membership:
        quorate = membership_quorate(should_attend=should_attend, present=present)
        return VoteOutcome(quorate, quorate and majority(yes=yes + written_yes, should_attend=should_attend))
    quorate = ordinary_quorate(should_attend=should_attend, present=present, inclusive=inclusive)
    return VoteOutcome(quorate, quorate and majority(yes=yes, should_attend=should_attend))

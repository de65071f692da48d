"""The benchmark's printed report: a table per group and field, then the failures if asked."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from receipt_label.evaluation.devset import MY, US_CA
from receipt_label.evaluation.scoring import FieldScore, Outcome, Verdict

# Issue 12's goals on the dev set, in percent exact (address: share with token overlap >= 0.9).
GOALS: dict[tuple[str, str], float] = {
    (US_CA, "phone"): 97, (US_CA, "date"): 97, (US_CA, "time"): 97, (US_CA, "total"): 97,
    (MY, "date"): 95, (MY, "total"): 95,
    (US_CA, "merchant_name"): 90, (MY, "merchant_name"): 90,
    (US_CA, "address"): 90, (MY, "address"): 90,
}  # fmt: skip


def table(scores: Sequence[FieldScore]) -> str:
    """Per group and field: exact, wrong, missed, scored, percent exact and the goal."""
    header = f"{'group':<6} {'field':<14} {'exact':>5} {'wrong':>5} {'missed':>6} {'of':>4} "
    header += f"{'exact %':>8}  {'goal':>5}  note"
    lines = [header, "-" * len(header)]
    for score in scores:
        if not score.scored:
            continue
        goal = GOALS.get((score.group, score.field))
        goal_text = f"{goal:.0f}%" if goal is not None else ""
        note = ""
        if goal is not None:
            note = "met" if score.percent >= goal else "below goal"
        if score.mean_overlap is not None:
            note += f" (mean overlap {score.mean_overlap:.2f})"
        lines.append(
            f"{score.group:<6} {score.field:<14} {score.exact:>5} {score.wrong:>5} "
            f"{score.missed:>6} {score.scored:>4} {score.percent:>7.1f}%  {goal_text:>5}  {note}"
        )
    return "\n".join(lines)


def failures(outcomes: Iterable[Outcome], suspected: dict[tuple[str, str], str]) -> str:
    """Each wrong or missed field: receipt, truth, pick and the line it was read from."""
    lines = []
    for outcome in outcomes:
        if outcome.verdict not in (Verdict.WRONG, Verdict.MISSED):
            continue
        note = suspected.get((outcome.receipt_id, outcome.field))
        flag = f"  [suspected truth error: {note}]" if note else ""
        lines.append(
            f"{outcome.receipt_id} {outcome.field:<13} {outcome.verdict.value:<6} "
            f"truth={outcome.truth!r} picked={outcome.picked!r} line={outcome.line!r}{flag}"
        )
    return "\n".join(lines)

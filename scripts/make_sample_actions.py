"""Write the ILLUSTRATIVE action register for Q3 2025/26 (fixed seed, byte-identical).

The real register is internal to the OPCC; the paper publishes only totals (127 actions,
33 complete by the end of Q3 2025/26, 14 of them in Q3, 5 in progress) and names five of
the Q3 completions and the actions due next. This sample matches those totals exactly and
uses the named actions; every other action is a placeholder. Run:
    .venv/bin/python scripts/make_sample_actions.py
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "quarters" / "2025-26-Q3" / "actions.csv"
SEED = 20251231

STRATEGIES = ["Finances", "The Police Estate", "Workforce", "Resources", "Policing",
              "Violence and Vulnerability", "VAWG", "Rural Crime", "Business Crime", "Road Safety",
              "Neighbourhood Crime", "Supporting Victims", "Scrutiny and Legitimacy",
              "Effective Criminal Justice"]
# Named in 000_5c38b58c372c3f4f.txt para 19 (completed in Q3) and para 30 (due next quarter).
Q3_NAMED = [("Workforce", "A recruitment and retention strategy for the OPCC to be produced"),
            ("Workforce", "A report to be brought to CGB to hold the Chief Constable to account on staff wellbeing"),
            ("Rural Crime", "Rural crime prevention advice made available on the OPCC website"),
            ("Business Crime", "Detailed data profiles provided to CSPs to support with their funding initiatives"),
            ("Scrutiny and Legitimacy", "Annual reports completed for scrutiny functions")]
NEXT_NAMED = [("Scrutiny and Legitimacy", "A published system of governance"),
              ("VAWG", "A VAWG behaviour change campaign that can be used across LLR"),
              ("Supporting Victims", "Lived experience group"),
              ("Supporting Victims", "Lobbying for adequate funding for support services for victims of "
                                     "domestic abuse and serious sexual violence"),
              ("Effective Criminal Justice", "Continued improvements in the criminal justice board system"),
              ("Resources", "A strategy for Environmental sustainability"),
              ("Road Safety", "Local projects developed to tackle speeding")]
TOTAL, DONE_Q1, DONE_Q2, DONE_Q3, IN_PROGRESS = 127, 8, 11, 14, 5


def quarter_label(fy: int, q: int) -> str:
    return f"{fy}-{(fy + 1) % 100:02d} Q{q}"


def main() -> None:
    rng = random.Random(SEED)
    future = [quarter_label(2025 + i // 4, i % 4 + 1) for i in range(3, 16)]  # Q4 2025/26 .. Q4 2028/29
    rows = []
    n = 0

    def add(strategy: str, action: str, due: str, status: str, completed: str = "") -> None:
        nonlocal n
        n += 1
        rows.append([f"A{n:03d}", strategy, action, due, status, completed])

    for q, count in ((1, DONE_Q1), (2, DONE_Q2)):
        for _ in range(count):
            s = rng.choice(STRATEGIES)
            add(s, f"Illustrative action ({s})", quarter_label(2025, q), "Complete", quarter_label(2025, q))
    for s, a in Q3_NAMED:
        add(s, a, quarter_label(2025, 3), "Complete", quarter_label(2025, 3))
    for _ in range(DONE_Q3 - len(Q3_NAMED)):
        s = rng.choice(STRATEGIES)
        add(s, f"Illustrative action ({s})", quarter_label(2025, 3), "Complete", quarter_label(2025, 3))
    for _ in range(IN_PROGRESS):
        s = rng.choice(STRATEGIES)
        add(s, f"Illustrative action ({s})", rng.choice(future[:4]), "In progress")
    for s, a in NEXT_NAMED:
        add(s, a, quarter_label(2025, 4), "Not started")
    while n < TOTAL:
        s = rng.choice(STRATEGIES)
        add(s, f"Illustrative action ({s})", rng.choice(future), "Not started")

    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["action_id", "strategy", "action", "due_quarter", "status", "completed_quarter"])
        w.writerows(rows)
    OUT.with_name(OUT.name + ".source.txt").write_text(
        "SYNTHETIC (illustrative) action register, written by scripts/make_sample_actions.py with seed "
        f"{SEED}. It matches the totals published in 000_5c38b58c372c3f4f.txt paras 15-19 (127 actions; "
        "33 complete by the end of Q3 2025/26, 14 of them in Q3; 5 in progress) and uses the actions the "
        "paper names; all other actions, strategies and due dates are placeholders.\n", encoding="utf-8")


if __name__ == "__main__":
    main()

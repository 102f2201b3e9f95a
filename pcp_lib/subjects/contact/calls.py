"""Call-level extracts: one row per call, read fast and aggregated to the monthly return.

An extract (CSV or Parquet) has ``call_id``, ``channel`` (999 or 101), ``arrival`` (the call
reaches the control-room queue), ``answered_at`` (a call handler picks it up; blank when the
caller hung up first), ``ended`` (the call finished, or the caller hung up) and ``abandoned``
(Y/N). ``aggregate_calls`` turns it into the monthly return with the same definitions as the
Force's own return (see ``returns``):

- a call belongs to the month of its **arrival** (a call that starts at 23:59 on 31 October and
  ends in November is an October call);
- *answered within N s*: ``answered_at - arrival <= N`` seconds, so a call answered at exactly
  10.0 s is within 10 s;
- *abandoned*: flagged abandoned, with no answer time; abandonment rate = abandoned / offered;
- *short abandons* (callers who hang up within a few seconds, often misdials) are **kept** by
  default (``short_abandon_s=0``): the report gives no exclusion, and a short 999 abandon is
  still called back. Pass ``short_abandon_s`` to drop calls abandoned sooner than that from
  both offered and abandoned, as some forces do for 101.
- *average speed of answer*: mean of ``answered_at - arrival`` over answered calls, seconds to
  one place (half up), computed from exact integer sums.

Everything is vectorised (numpy on integer nanoseconds, ``bincount`` per month and channel),
so ten million calls aggregate in about a second (``benchmarks/bench_contact.py``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pcp_lib.core.errors import DataError, Problem, rel
from pcp_lib.core.provenance import attach
from pcp_lib.io.datastore import return_file
from pcp_lib.io.registry import ReturnSpec
from pcp_lib.io.schema import Column, Schema, file_provenance, read_table
from pcp_lib.methods.units import round_half_up
from pcp_lib.subjects.contact.returns import COLUMNS as MONTHLY_COLUMNS
from pcp_lib.subjects.contact.returns import THRESHOLDS, VOICE

__all__ = ["CALL_COLUMNS", "CONTACT_CALLS", "CONTACT_CALLS_RETURN", "EXTRACT_NAMES", "EXTRACT_SUFFIXES", "aggregate_calls",
           "find_extract", "read_calls"]

CALL_COLUMNS: tuple[str, ...] = ("call_id", "channel", "arrival", "answered_at", "ended", "abandoned")
MAX_LISTED = 20  # problems listed one by one before "and N more rows"


def _answer_time_rule(row: dict[str, Any]) -> tuple[str, str] | None:
    if not row["abandoned"] and row["answered_at"] is None:
        return ("answered_at", "an answer time, since the call is not flagged abandoned; got a blank")
    if row["abandoned"] and row["answered_at"] is not None:
        return ("answered_at", f"a blank, since the call is flagged abandoned; got {row['answered_at']}")
    return None


def _order_rule(row: dict[str, Any]) -> tuple[str, str] | None:
    if row["answered_at"] is not None and row["answered_at"] < row["arrival"]:
        return ("answered_at", f"a time at or after arrival ({row['arrival']}); got {row['answered_at']}")
    start = row["answered_at"] or row["arrival"]
    if row["ended"] < start:
        return ("ended", f"a time at or after {'answer' if row['answered_at'] else 'arrival'} ({start}); "
                         f"got {row['ended']}")
    return None


CONTACT_CALLS = Schema(
    name="contact_calls",
    title="Contact call-level extract",
    description="One row per 999 or 101 call: arrival in the queue, answer (blank if the caller hung up "
                "first), end, and whether it was abandoned.",
    columns=(
        Column("call_id", "text", "The call's unique reference"),
        Column("channel", "choice", "999 or 101", choices=VOICE, aliases=(("999.0", "999"), ("101.0", "101"))),
        Column("arrival", "datetime", "When the call reached the control-room queue"),
        Column("answered_at", "datetime", "When a call handler answered (blank if abandoned)", required=False),
        Column("ended", "datetime", "When the call ended, or the caller hung up"),
        Column("abandoned", "bool", "Y if the caller hung up before being answered"),
    ),
    key=("call_id",),
    row_checks=(_answer_time_rule, _order_rule),
)

#: The call-level extract's extensions, in the order they are looked for (any case).
EXTRACT_SUFFIXES: tuple[str, ...] = (".parquet", ".csv", ".xlsx")

CONTACT_CALLS_RETURN = ReturnSpec("contact_calls", CONTACT_CALLS.title, CONTACT_CALLS,
                                  "Leicestershire Police Contact Management Department (optional extract)",
                                  period_column="arrival", required=False, suffixes=EXTRACT_SUFFIXES)

#: The call-level extract's file names in a quarter folder, in the order they are looked for.
EXTRACT_NAMES: tuple[str, ...] = tuple(f"contact_calls{s}" for s in EXTRACT_SUFFIXES)

_TRUE = {"y", "yes", "true", "1"}


def find_extract(folder: Path | None) -> Path | None:
    """The call-level extract in a quarter folder (Parquet preferred, then CSV, then the Excel
    template filled in), or None when none was sent."""
    if folder is None:
        return None
    return return_file(folder, CONTACT_CALLS.name, EXTRACT_SUFFIXES)

_FALSE = {"n", "no", "false", "0"}


def read_calls(path: str | Path) -> pd.DataFrame:
    """Read a call-level extract (``.csv``, ``.parquet`` or the ``.xlsx`` template filled in), checked,
    with typed columns.

    Columns are checked by name; unparseable times or flags are reported with their
    spreadsheet row (header is row 1) in one ``DataError``. The cross-column rules (answer
    time given exactly when not abandoned, times in order) are checked by ``aggregate_calls``,
    which reports the same way. The file's provenance is attached (and names it in messages).
    """
    path = Path(path)
    shown = rel(path)
    if not path.exists():
        raise DataError(Problem(file=shown, expected="a call-level extract file", got="no such file"))
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        # split_blocks + self_destruct: hand columns to pandas without a second full copy
        import pyarrow.parquet as pq  # here: only a .parquet extract needs it (0.1 s to import)

        df = pq.read_table(path).to_pandas(split_blocks=True, self_destruct=True)
    elif suffix == ".csv":
        df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    elif suffix in (".xlsx", ".xlsm"):
        df = read_table(path, CONTACT_CALLS)  # the template filled in: checked as any return is
    else:
        raise DataError(Problem(file=shown, expected="a .csv, .parquet or .xlsx call extract", got=path.suffix))
    missing = [c for c in CALL_COLUMNS if c not in df.columns]
    if missing:
        raise DataError(Problem(file=shown, row=1, expected="columns " + ", ".join(CALL_COLUMNS),
                                got=", ".join(map(str, df.columns))))
    df = df[list(CALL_COLUMNS)].reset_index(drop=True)
    problems: list[Problem] = []
    for col in ("arrival", "answered_at", "ended"):
        if not pd.api.types.is_datetime64_any_dtype(df[col]):
            raw = df[col]
            parsed = pd.to_datetime(raw, format="ISO8601", errors="coerce")
            bad = np.flatnonzero(parsed.isna().to_numpy() & raw.notna().to_numpy())
            _add(problems, shown, bad, col, CONTACT_CALLS.column(col).expectation(), raw)
            df[col] = parsed
    if df["abandoned"].dtype != bool:
        raw = df["abandoned"]
        low = raw.astype("string").str.strip().str.lower()
        flag = pd.Series(pd.NA, index=df.index, dtype="boolean")
        flag[low.isin(_TRUE).fillna(False).to_numpy()] = True
        flag[low.isin(_FALSE).fillna(False).to_numpy()] = False
        bad = np.flatnonzero(flag.isna().to_numpy())
        _add(problems, shown, bad, "abandoned", "Y or N", raw)
        df["abandoned"] = flag
    if problems:
        raise DataError(problems)
    return attach(df, file_provenance(path))


def _add(problems: list[Problem], file: str, bad: np.ndarray, column: str, expected: str,
         raw: pd.Series | None = None) -> None:
    """Problems for the (0-based) positions ``bad``: the first few one by one, then a count."""
    for i in bad[:MAX_LISTED]:
        got = None if raw is None else ("" if pd.isna(raw.iloc[i]) else str(raw.iloc[i]))
        problems.append(Problem(file=file, row=int(i) + 2, column=column, expected=expected, got=got))
    if len(bad) > MAX_LISTED:
        problems.append(Problem(file=file, column=column, expected=expected,
                                got=f"{len(bad) - MAX_LISTED:,} more rows like these"))


def _ints(series: pd.Series, unit: str | None = None) -> tuple[np.ndarray, str]:
    """Times as int64 counts of their own unit since 1970, without copying when the unit already
    matches (NaT is the minimum int64). ``unit`` forces a unit (to match another column)."""
    values = series.to_numpy()
    if values.dtype.kind != "M":
        values = series.to_numpy(dtype="datetime64[ns]")
    own = np.datetime_data(values.dtype)[0]
    if unit is not None and own != unit:
        values = values.astype(f"datetime64[{unit}]")
        own = unit
    return values.view("int64"), own


NAT = np.iinfo(np.int64).min
CHUNK = 1 << 20  # rows per chunk in aggregate_calls


def aggregate_calls(calls: pd.DataFrame, *, short_abandon_s: float = 0.0) -> pd.DataFrame:
    """Call-level records to the monthly return: one row per month (of arrival) and channel.

    Columns as ``CONTACT_MONTHLY``: month, channel, offered, answered, answered_10s,
    answered_2min, answered_15min, abandoned, asa_s (see the module docstring for the exact
    definitions). Raises ``DataError`` naming the rows (spreadsheet numbering) that break a
    rule: a call not flagged abandoned without an answer time, an abandoned call with one,
    times out of order, an unknown channel.
    """
    prov = calls.attrs.get("provenance")
    file = prov.files[0] if prov is not None and prov.files else "call extract"
    missing = [c for c in CALL_COLUMNS if c not in calls.columns and c != "call_id"]
    if missing:
        raise DataError(Problem(file=file, row=1, expected="columns " + ", ".join(CALL_COLUMNS),
                                got=", ".join(map(str, calls.columns))))
    n = len(calls)
    ch = calls["channel"]
    if isinstance(ch.dtype, pd.CategoricalDtype):
        lookup = np.array([VOICE.index(str(c)) if str(c) in VOICE else -1 for c in ch.cat.categories] + [-1],
                          dtype=np.int64)
        chan = lookup[ch.cat.codes.to_numpy()]  # code -1 (missing) picks the final -1
    else:
        chan = pd.Index(list(VOICE)).get_indexer(ch.astype("string").to_numpy()).astype(np.int64)
    arr, unit = _ints(calls["arrival"])
    ans, _ = _ints(calls["answered_at"], unit)
    end, _ = _ints(calls["ended"], unit)
    per_s = int(np.timedelta64(1, "s").astype(f"m8[{unit}]").astype(np.int64))  # ticks per second
    ab_col = calls["abandoned"]
    problems: list[Problem] = []
    if ab_col.isna().any():
        _add(problems, file, np.flatnonzero(ab_col.isna().to_numpy()), "abandoned", "Y or N, not blank")
        raise DataError(problems)
    ab = ab_col.to_numpy(dtype=bool)
    has_ans = ans != NAT
    checks = (
        (chan < 0, "channel", "999 or 101"),
        (arr == NAT, "arrival", "an arrival time, not blank"),
        (~ab & ~has_ans, "answered_at", "an answer time, since the call is not flagged abandoned; got a blank"),
        (ab & has_ans, "answered_at", "a blank answer time, since the call is flagged abandoned"),
        (has_ans & (ans < arr), "answered_at", "an answer time at or after arrival"),
        (end == NAT, "ended", "an end time, not blank"),
        ((end != NAT) & (end < np.where(has_ans, ans, arr)), "ended", "an end time at or after answer (or arrival)"),
    )
    for mask, column, expected in checks:
        if mask.any():
            bad = np.flatnonzero(mask)
            raw = calls[column] if column in ("channel",) else None
            _add(problems, file, bad, column, expected, raw)
    if problems:
        raise DataError(problems)
    if n == 0:
        return _frame([])
    # month of arrival: whole days (integer division), then a small day -> month table
    day_min = int(arr.min()) // (86_400 * per_s)
    day_max = int(arr.max()) // (86_400 * per_s)
    month_of_day = np.arange(day_min, day_max + 1).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    m0 = int(month_of_day[0])
    nm = int(month_of_day[-1]) - m0 + 1
    nch = len(VOICE)
    key_of_day = (month_of_day - m0) * nch
    size = nm * nch
    nb = len(THRESHOLDS) + 1
    limits = [secs * per_s for secs in THRESHOLDS.values()]
    per_ms = max(1, per_s // 1000)
    offered = np.zeros(size, dtype=np.int64)
    abandoned = np.zeros(size, dtype=np.int64)
    per_bucket = np.zeros(size * nb, dtype=np.int64)
    sum_ms = np.zeros(size)
    sum_rem = np.zeros(size)
    # In chunks, so the temporaries stay small (less memory, fewer page faults), then summed.
    for lo in range(0, n, CHUNK):
        hi = min(n, lo + CHUNK)
        a_, ab_ = arr[lo:hi], ab[lo:hi]
        key = key_of_day[a_ // (86_400 * per_s) - day_min] + chan[lo:hi]
        if short_abandon_s > 0:
            keep = ~(ab_ & ((end[lo:hi] - a_) < int(round(short_abandon_s * per_s))))
            offered += np.bincount(key[keep], minlength=size)
            abandoned += np.bincount(key[ab_ & keep], minlength=size)
        else:
            offered += np.bincount(key, minlength=size)
            abandoned += np.bincount(key[ab_], minlength=size)
        got = ~ab_
        k_ans = key[got]
        wait = ans[lo:hi][got] - a_[got]
        # one pass for every threshold: bucket 0 = within the shortest ... last = beyond the longest
        bucket = k_ans * nb
        for limit in limits:
            bucket += wait > limit
        per_bucket += np.bincount(bucket, minlength=size * nb)
        # exact wait sums: whole milliseconds and sub-millisecond remainders, each summed exactly
        # (float64 sums of integers are exact below 2**53)
        if per_ms > 1:
            ms, rem = np.divmod(wait, per_ms)
            sum_ms += np.bincount(k_ans, weights=ms, minlength=size)
            sum_rem += np.bincount(k_ans, weights=rem, minlength=size)
        else:
            sum_ms += np.bincount(k_ans, weights=wait, minlength=size)
    by_bucket = per_bucket.reshape(size, nb)
    answered = by_bucket.sum(axis=1)
    cumulative = np.cumsum(by_bucket, axis=1)
    within = {col: cumulative[:, i] for i, col in enumerate(THRESHOLDS)}
    rows = []
    for k in np.flatnonzero(offered + answered):
        mi, ci = divmod(int(k), nch)
        y, mo = divmod(m0 + mi, 12)
        total_ticks = Decimal(int(sum_ms[k])) * per_ms + Decimal(int(sum_rem[k]))
        asa = None if answered[k] == 0 else round_half_up(total_ticks / Decimal(int(answered[k])) / Decimal(per_s), 1)
        rows.append({"month": date(1970 + y, mo + 1, 1), "channel": VOICE[ci], "offered": int(offered[k]),
                     "answered": int(answered[k]), **{c: int(v[k]) for c, v in within.items()},
                     "abandoned": int(abandoned[k]), "asa_s": asa})
    return _frame(rows)


def _frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=list(MONTHLY_COLUMNS))
    df = df.sort_values(["month", "channel"], key=lambda s: s.map({"999": 0, "101": 1}) if s.name == "channel"
                        else s, kind="stable").reset_index(drop=True)
    return df.astype({"channel": "string", "offered": "Int64", "answered": "Int64", "answered_10s": "Int64",
                      "answered_2min": "Int64", "answered_15min": "Int64", "abandoned": "Int64",
                      "asa_s": "object"})

"""The Force's monthly contact return (``contact_monthly``): one row per month and channel.

Channels: ``999`` (emergency calls), ``101`` (non-emergency calls) and ``online`` (Single
Online Home reports). For the two voice channels the Force sends calls offered, answered,
answered within 10 seconds, 2 minutes and 15 minutes, abandoned, and the average speed of
answer; for online only the number of reports (the other columns are left blank).

Definitions (the same as ``aggregate_calls`` uses on call-level records, so both paths feed
one analysis):

- *offered*: calls presented to the control room queue in the month (by arrival time). Short
  abandons are **not** excluded by default: nothing in the published report says the Force
  excludes them, and every abandoned 999 call is a potential emergency that is called back.
- *answered within N s*: answer time minus arrival time at most N seconds (exactly 10.0 s
  counts as within 10 s).
- *abandoned*: the caller hung up before being answered.
- *rates* (see ``summary``) are shares of calls **offered**, so an abandoned call counts as
  not answered in time; the report does not say which denominator the Force uses.

The schema rejects what cannot happen: answered plus abandoned above offered, a longer
threshold answering fewer calls than a shorter one, blanks on a voice channel.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from pcp_lib.io.datastore import load_quarterly
from pcp_lib.io.registry import ReturnSpec
from pcp_lib.io.schema import Column, Schema
from pcp_lib.methods.periods import Quarter

__all__ = ["CHANNELS", "CHANNEL_NAMES", "COLUMNS", "CONTACT_MONTHLY", "CONTACT_MONTHLY_RETURN", "MEASURES",
           "MEASURE_LABELS", "RATE_MEASURES", "THRESHOLDS", "THRESHOLD_LABELS", "VOICE", "VOICE_COUNTS",
           "load_monthly"]

CHANNELS: tuple[str, ...] = ("999", "101", "online")
VOICE: tuple[str, ...] = ("999", "101")
#: Answer-time thresholds of the return: column -> seconds.
THRESHOLDS: dict[str, int] = {"answered_10s": 10, "answered_2min": 120, "answered_15min": 900}
THRESHOLD_LABELS: dict[str, str] = {"answered_10s": "10 seconds", "answered_2min": "2 minutes",
                                    "answered_15min": "15 minutes"}
VOICE_COUNTS: tuple[str, ...] = ("answered", *THRESHOLDS, "abandoned")
CHANNEL_NAMES: dict[str, str] = {"999": "999 (emergency)", "101": "101 (non-emergency)",
                                 "online": "Online (Single Online Home)"}
COLUMNS: tuple[str, ...] = ("month", "channel", "offered", *VOICE_COUNTS, "asa_s")
#: Measures in table order: (measure, kind, label). ``offered`` is a volume; the rest are rates
#: (shares of calls offered).
MEASURES: tuple[tuple[str, str, str], ...] = (
    ("offered", "volume", "Volume"),
    ("answered_10s", "rate", "Answered within 10 seconds"),
    ("answered_2min", "rate", "Answered within 2 minutes"),
    ("answered_15min", "rate", "Answered within 15 minutes"),
    ("abandoned", "rate", "Abandonment rate"),
)
MEASURE_LABELS: dict[str, str] = {m: label for m, _, label in MEASURES}
RATE_MEASURES: tuple[str, ...] = tuple(m for m, kind, _ in MEASURES if kind == "rate")

_ALIASES = (("emergency", "999"), ("999.0", "999"), ("non-emergency", "101"), ("non emergency", "101"),
            ("101.0", "101"), ("single online home", "online"), ("soh", "online"))


def _count(name: str, description: str, required: bool = True) -> Column:
    return Column(name, "int", description, unit="contacts", required=required, min_value=0)


def _voice_complete(row: dict[str, Any]) -> tuple[str, str] | None:
    if row["channel"] in VOICE:
        for c in VOICE_COUNTS:
            if row[c] is None:
                return (c, f"a count for a {row['channel']} row (only online rows leave it blank); got a blank")
    else:
        for c in (*VOICE_COUNTS, "asa_s"):
            if row[c] is not None:
                return (c, f"a blank for an online row (online reports have no answer times); got {row[c]}")
    return None


def _not_above_offered(row: dict[str, Any]) -> tuple[str, str] | None:
    if row["channel"] in VOICE and None not in (row["answered"], row["abandoned"]):
        if row["answered"] + row["abandoned"] > row["offered"]:
            return ("answered", f"answered + abandoned at most offered ({row['offered']}); got "
                                f"{row['answered']} + {row['abandoned']} = {row['answered'] + row['abandoned']}")
    return None


def _thresholds_nested(row: dict[str, Any]) -> tuple[str, str] | None:
    chain = [*THRESHOLDS, "answered"]
    for shorter, longer in zip(chain, chain[1:], strict=False):
        if row[shorter] is not None and row[longer] is not None and row[shorter] > row[longer]:
            return (shorter, f"at most {row[longer]} (the {longer} count on this row): a call answered "
                             f"within a shorter time is also answered within a longer one; got {row[shorter]}")
    return None


def _asa_given(row: dict[str, Any]) -> tuple[str, str] | None:
    if row["channel"] in VOICE and row["answered"] and row["asa_s"] is None:
        return ("asa_s", f"the average speed of answer in seconds, since {row['answered']} calls were "
                         "answered; got a blank")
    return None


CONTACT_MONTHLY = Schema(
    name="contact_monthly",
    title="Contact demand monthly return",
    description="One row per month and channel (999, 101, online): contacts offered; for calls, "
                "answered, answered within 10 s / 2 min / 15 min of arrival, abandoned and the "
                "average speed of answer.",
    columns=(
        Column("month", "month", "The calendar month (by call arrival time), e.g. 2025-10", period="within"),
        Column("channel", "choice", "999, 101 or online (Single Online Home reports)", choices=CHANNELS,
               aliases=_ALIASES),
        _count("offered", "Calls presented to the queue (999/101), or online reports received"),
        _count("answered", "Calls answered by a call handler (blank for online)", required=False),
        _count("answered_10s", "Calls answered within 10 seconds of arrival (blank for online)", required=False),
        _count("answered_2min", "Calls answered within 2 minutes of arrival (blank for online)", required=False),
        _count("answered_15min", "Calls answered within 15 minutes of arrival (blank for online)",
               required=False),
        _count("abandoned", "Calls where the caller hung up before being answered (blank for online)",
               required=False),
        Column("asa_s", "decimal", "Average speed of answer: mean seconds from arrival to answer of the "
               "calls answered (blank for online)", unit="seconds", required=False, min_value=0),
    ),
    key=("month", "channel"),
    row_checks=(_voice_complete, _not_above_offered, _thresholds_nested, _asa_given),
    max_rows=9,
    size="3 months x 3 channels",
)

CONTACT_MONTHLY_RETURN = ReturnSpec("contact_monthly", CONTACT_MONTHLY.title, CONTACT_MONTHLY,
                                    "Leicestershire Police Contact Management Department",
                                    period_column="month", required=False)


def load_monthly(up_to: Quarter | str | None = None, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The monthly contact series up to the end of ``up_to``: one row per month and channel.

    ``contact_monthly`` from every quarter folder up to ``up_to``, through the one loader of
    quarterly series (``io.datastore.load_quarterly``): a month outside its folder's quarter,
    or a month and channel sent twice, raises ``DataError``; ``quarter`` is the folder's
    quarter label ("Q3 2025/26"); the provenance of every file read is attached.
    """
    return load_quarterly(CONTACT_MONTHLY, up_to, data_dir, period_column="month", key=("channel",))

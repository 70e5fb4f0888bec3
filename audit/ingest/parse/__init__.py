"""Value parsers: turn the cells of a spreadsheet column into typed, comparable values.

Auditors upload whatever their tools and colleagues produced: CSV exports (every cell a
string), Excel workbooks read by python-calamine (an object column mixing str, int, float,
bool, datetime, date and time), hand-typed sheets in Spanish or English. Each parser takes
one column as a ``pd.Series`` and returns the typed values plus a mask of the cells that
were written but could not be read, so the validator can point the auditor at them
instead of silently dropping data. Blank cells are never an error here: whether a value
is required is the validator's business.

Two rules hold for every public function:

* it never raises on cell content (only on a programming error such as an unknown time
  zone name), and
* its outputs keep the input's index, so they can be assigned back to the frame.

Columns are large (a posts sheet may have 200,000 rows) and must be checked about as fast
as pandas reads them, so the parsers work on whole columns: low-cardinality kinds parse
each distinct value once and map the result back; dates, which are mostly distinct, go
through vectorised passes (pandas' ISO 8601 parser, pyarrow regular expressions, numpy
calendar arithmetic) and only the few leftovers are parsed one by one in Python.

One module per kind of value:

    cells    Parsed, HandleParse, is_blank, strip_edges; sorting cells by kind; shared helpers
    counts   parse_counts, MAX_COUNT
    answers  parse_booleans, parse_answers
    choices  parse_choices, parse_networks
    handles  parse_handles, parse_post_urls
    dates    parse_datetimes
"""

from audit.ingest.parse.answers import parse_answers, parse_booleans
from audit.ingest.parse.cells import HandleParse, Parsed, is_blank, strip_edges
from audit.ingest.parse.choices import parse_choices, parse_networks
from audit.ingest.parse.counts import MAX_COUNT, parse_counts
from audit.ingest.parse.dates import parse_datetimes
from audit.ingest.parse.handles import parse_handles, parse_post_urls

__all__ = [
    "MAX_COUNT",
    "HandleParse",
    "Parsed",
    "is_blank",
    "parse_answers",
    "parse_booleans",
    "parse_choices",
    "parse_counts",
    "parse_datetimes",
    "parse_handles",
    "parse_networks",
    "parse_post_urls",
    "strip_edges",
]

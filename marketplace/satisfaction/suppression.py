"""Which cells of a college × grade table of response counts may be shown (a pure function).

The published table has its cells, each row's and each column's total, and the grand total — the
survey's response count, which is public. A cell (or a row's or column's total) with fewer than k
responses is hidden (primary suppression). That alone is not enough: a hidden number could be
recovered by subtracting what is shown from a total, so more are hidden (complementary suppression):

1. **The line rule.** When exactly one number of a row or column (its total included) is hidden, a
   second one of it is hidden too: one whose other line (its column, for a row) also has exactly one
   hidden, if there is such — it mends both lines at once, so fewer numbers go — else the smallest
   shown, a cell before the line's total on a tie.
2. **The sum rule.** In a line whose total is shown, the hidden cells add up to a known number: the
   total less the cells shown (and their stars to a known sum, so their mean is known too). When that
   is more than 0 but fewer than k, those few people would be read as a group, so the smallest shown
   number of the line is hidden as well.
3. **The cycle rule.** Two hidden numbers in every line is not always enough: hidden cells spread over
   several lines can still add up to something known (two hidden squares joined by one hidden cell
   give that cell away). With every row and column adding up to its total, a hidden number can be
   worked out by *any* combination of sums exactly when it lies on no cycle of hidden numbers —
   rows and columns as the nodes of a graph, each hidden number an edge between its row and its
   column (the totals as one more row and one more column). Such an edge is a *bridge*; for each,
   the smallest shown number that closes a cycle through it is hidden.

All three are repeated until nothing changes. The grand total is never hidden. A table of one row or one
column is a single line: its totals repeat its cells, so only the line rule applies.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping


class _Total:
    """The position of a total in the table: ``(row, TOTAL)`` is a row's total, ``(TOTAL, TOTAL)``
    the grand total."""

    def __repr__(self) -> str:
        return "TOTAL"


TOTAL = _Total()
Position = tuple[Hashable, Hashable]


def table(counts: Mapping[Position, int], rows=None, cols=None) -> dict[Position, int]:
    """Every position of the table of ``counts`` (missing cells are 0), with the totals."""
    rows = list(rows if rows is not None else sorted({r for r, _ in counts}))
    cols = list(cols if cols is not None else sorted({c for _, c in counts}))
    grid = {(r, c): counts.get((r, c), 0) for r in rows for c in cols}
    for r in rows:
        grid[r, TOTAL] = sum(grid[r, c] for c in cols)
    for c in cols:
        grid[TOTAL, c] = sum(grid[r, c] for r in rows)
    grid[TOTAL, TOTAL] = sum(grid[r, TOTAL] for r in rows)
    return grid


def suppress(counts: Mapping[Position, int], k: int, rows=None, cols=None) -> frozenset[Position]:
    """The positions of the table of ``counts`` to hide (cells and totals; see the module)."""
    grid = table(counts, rows, cols)
    rows = [r for r, c in grid if c is TOTAL and r is not TOTAL]
    cols = [c for r, c in grid if r is TOTAL and c is not TOTAL]
    if len(rows) <= 1 or len(cols) <= 1:
        return _suppress_line(grid, rows, cols, k)
    hidden = {p for p, n in grid.items() if n < k and p != (TOTAL, TOTAL)}
    lines = [[(r, c) for c in [*cols, TOTAL]] for r in [*rows, TOTAL]]
    lines += [[(r, c) for r in [*rows, TOTAL]] for c in [*cols, TOTAL]]
    while _line_rule(grid, lines, hidden) or _sum_rule(grid, lines, hidden, k) or _cycle_rule(grid, hidden):
        pass
    return frozenset(hidden)


def _smallest(grid, candidates):
    """The one to hide of ``candidates``: the smallest number, a cell before a total."""
    return min(candidates, key=lambda p: (grid[p], TOTAL in p, repr(p)), default=None)


def _line_rule(grid, lines, hidden: set) -> bool:
    """Hide a second number in each line with exactly one hidden; whether anything was hidden."""
    changed = False
    for line in lines:
        if sum(p in hidden for p in line) == 1:
            shown = [p for p in line if p not in hidden and p != (TOTAL, TOTAL)]
            lonely = [p for p in shown if _hidden_in_lines_through(p, lines, hidden) == [1, 1]]
            if (extra := _smallest(grid, lonely) or _smallest(grid, shown)) is not None:
                hidden.add(extra)
                changed = True
    return changed


def _sum_rule(grid, lines, hidden: set, k: int) -> bool:
    """Hide one more number in each line whose total is shown and whose hidden cells add up to more
    than 0 but fewer than k (each line ends with its total); whether anything was hidden."""
    changed = False
    for line in lines:
        *cells, total = line
        if total in hidden:
            continue
        hidden_sum = sum(grid[p] for p in cells if p in hidden)
        if 0 < hidden_sum < k:
            shown = [p for p in line if p not in hidden and p != (TOTAL, TOTAL)]
            if (extra := _smallest(grid, shown)) is not None:
                hidden.add(extra)
                changed = True
    return changed


def _hidden_in_lines_through(position, lines, hidden: set) -> list[int]:
    """How many numbers are hidden in each of the two lines through ``position``."""
    return sorted(sum(p in hidden for p in line) for line in lines if position in line)


def _reach(edges: set, start, without) -> set:
    """The nodes reached from ``start`` over ``edges`` (row-column pairs) but ``without``."""
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        for r, c in edges:
            if (r, c) == without:
                continue
            for a, b in ((("r", r), ("c", c)), (("c", c), ("r", r))):
                if a == node and b not in seen:
                    seen.add(b)
                    todo.append(b)
    return seen


def _cycle_rule(grid, hidden: set) -> bool:
    """For the first hidden number on no cycle of hidden numbers, hide the smallest shown one that
    closes a cycle through it; whether anything was hidden."""
    for bridge in sorted(hidden, key=repr):
        r, c = bridge
        one_side = _reach(hidden, ("r", r), bridge)
        if ("c", c) in one_side:
            continue  # on a cycle: safe
        other_side = _reach(hidden, ("c", c), bridge)
        closing = [
            p
            for p in grid
            if p not in hidden
            and p != (TOTAL, TOTAL)
            and (
                (("r", p[0]) in one_side and ("c", p[1]) in other_side)
                or (("r", p[0]) in other_side and ("c", p[1]) in one_side)
            )
        ]
        if not closing:  # reach further: join the row's side to any shown column, then repeat
            closing = [p for p in grid if p not in hidden and p != (TOTAL, TOTAL) and ("r", p[0]) in one_side]
        if (extra := _smallest(grid, closing)) is None:
            continue
        hidden.add(extra)
        return True
    return False


def _suppress_line(grid, rows, cols, k: int) -> frozenset[Position]:
    """A table of one row or one column: its cells add up to the grand total, and its totals repeat
    them (a cell's column total in a one-row table is the cell itself)."""
    cells = [(r, c) for r in rows for c in cols]
    hidden = {p for p in cells if grid[p] < k}
    # The line rule and the sum rule: the cells add up to the grand total, which is shown.
    while len(hidden) == 1 or 0 < sum(grid[p] for p in hidden) < k:
        extra = _smallest(grid, [p for p in cells if p not in hidden])
        if extra is None:
            break
        hidden.add(extra)
    for r, c in list(hidden):
        # the same number under its other name
        hidden.add((TOTAL, c) if len(rows) == 1 else (r, TOTAL))
    return frozenset(hidden)

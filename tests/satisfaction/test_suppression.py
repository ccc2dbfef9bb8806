"""The college × grade table's suppression (a pure function): a number shows only from k answers, and
no hidden number can be worked out from what is shown — neither by subtracting shown cells from a
row's or column's total, nor by any combination of the tables' sums."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from marketplace.satisfaction import suppression
from marketplace.satisfaction.suppression import TOTAL, suppress, table

K = 5


def lines(grid) -> list[list]:
    """Each row's and column's positions, its total last."""
    rows = [r for r, c in grid if c is TOTAL]
    cols = [c for r, c in grid if r is TOTAL]
    return [[(r, c) for c in cols] for r in rows] + [[(r, c) for r in rows] for c in cols]


def subtract(grid, hidden) -> dict:
    """The subtraction attack: wherever a row or column has one unknown number left, it is its total
    minus the rest (or the rest summed, for a total); repeat while anything is found."""
    known = {p: n for p, n in grid.items() if p not in hidden}
    found = True
    while found:
        found = False
        for line in lines(grid):
            *cells, total = line
            unknown = [p for p in line if p not in known]
            if len(unknown) != 1:
                continue
            (p,) = unknown
            if p == total:
                known[p] = sum(known[c] for c in cells)
            else:
                known[p] = known[total] - sum(known[c] for c in cells if c != p)
            found = True
    return {p: known[p] for p in hidden if p in known}


def _rank(matrix: list[list[Fraction]]) -> int:
    rows = [row[:] for row in matrix]
    rank = 0
    for col in range(len(rows[0]) if rows else 0):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(len(rows)):
            if i != rank and rows[i][col] != 0:
                factor = rows[i][col] / rows[rank][col]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[rank], strict=True)]
        rank += 1
    return rank


def determined(grid, hidden) -> set:
    """The hidden numbers that any combination of the rows' and columns' sums pins down: those whose
    unit vector lies in the span of the sums' coefficients over the hidden numbers."""
    unknowns = sorted(hidden, key=repr)
    if not unknowns:
        return set()
    equations = []
    for line in lines(grid):
        *cells, total = line
        coefficients = {p: Fraction(1) for p in cells}
        coefficients[total] = Fraction(-1)
        equations.append([coefficients.get(p, Fraction(0)) for p in unknowns])
    base = _rank(equations)
    pinned = set()
    for i, p in enumerate(unknowns):
        unit = [Fraction(int(i == j)) for j in range(len(unknowns))]
        if _rank([*equations, unit]) == base:
            pinned.add(p)
    return pinned


def random_table(rng: random.Random) -> dict:
    rows, cols = rng.randint(2, 6), rng.randint(2, 5)
    # Mostly comfortable cells, some small ones, some empty.
    return {
        (f"学院{r}", 2020 + c): rng.choice([0, 1, 2, 3, 4, 6, 9, 15, 30, 60])
        for r in range(rows)
        for c in range(cols)
    }


def test_a_cell_with_fewer_than_k_answers_is_hidden_and_one_with_k_is_shown():
    counts = {
        ("甲", 2023): 4,
        ("甲", 2024): 30,
        ("乙", 2023): 40,
        ("乙", 2024): 50,
        ("丙", 2023): 5,
        ("丙", 2024): 60,
    }

    hidden = suppress(counts, K)

    assert ("甲", 2023) in hidden
    assert all(counts[p] >= K for p in counts if p not in hidden)


def test_a_row_with_exactly_one_hidden_cell_gets_a_second_the_smallest_shown():
    counts = {
        ("甲", 2023): 3,
        ("甲", 2024): 20,
        ("甲", 2025): 8,
        ("乙", 2023): 30,
        ("乙", 2024): 30,
        ("乙", 2025): 30,
    }

    hidden = suppress(counts, K)

    assert {("甲", 2023), ("甲", 2025)} <= hidden
    assert ("甲", 2024) not in hidden


def test_the_subtraction_attack_recovers_no_hidden_cell_of_a_small_table():
    counts = {
        ("甲", 2023): 3,
        ("甲", 2024): 20,
        ("乙", 2023): 12,
        ("乙", 2024): 9,
        ("丙", 2023): 8,
        ("丙", 2024): 7,
    }
    grid = table(counts)
    hidden = suppress(counts, K)
    assert ("甲", 2023) in hidden

    assert subtract(grid, hidden) == {}
    assert determined(grid, hidden) == set()


def test_without_the_second_hidden_cell_the_subtraction_attack_would_recover_the_first():
    """The attack is real: hiding only the cells under k gives the small cell away."""
    counts = {
        ("甲", 2023): 3,
        ("甲", 2024): 20,
        ("乙", 2023): 12,
        ("乙", 2024): 9,
        ("丙", 2023): 8,
        ("丙", 2024): 7,
    }
    grid = table(counts)
    only_small = {p for p, n in grid.items() if n < K}

    assert subtract(grid, only_small)[("甲", 2023)] == 3


@pytest.mark.parametrize("seed", range(120))
def test_no_combination_of_sums_recovers_a_hidden_number_of_a_random_table(seed):
    rng = random.Random(seed)
    counts = random_table(rng)
    grid = table(counts)

    hidden = suppress(counts, K)

    assert (TOTAL, TOTAL) not in hidden
    assert all(n >= K for p, n in grid.items() if p not in hidden and p != (TOTAL, TOTAL))
    assert subtract(grid, hidden) == {}
    assert determined(grid, hidden) == set()


def hidden_groups_under_k(grid, hidden) -> list:
    """Lines whose total is shown but whose hidden cells add up to a group of 1 to k-1 people."""
    found = []
    for line in lines(grid):
        *cells, total = line
        group = sum(grid[p] for p in cells if p in hidden)
        if total not in hidden and 0 < group < K:
            found.append((line[0], group))
    return found


def test_hidden_cells_that_add_up_to_fewer_than_k_people_are_joined_by_another_so_no_small_group_shows():
    counts = {("甲", 2021): 1, ("甲", 2023): 5, ("乙", 2021): 5, ("乙", 2022): 5, ("乙", 2023): 5}
    grid = table(counts, cols=[2021, 2022, 2023])
    assert hidden_groups_under_k(grid, {p for p, n in grid.items() if n < K}), "the attack works on k alone"

    hidden = suppress(counts, K, cols=[2021, 2022, 2023])

    assert hidden_groups_under_k(grid, hidden) == []
    assert ("甲", 2023) in hidden, "甲's one student no longer shows as 甲's total less its one shown cell"


@pytest.mark.parametrize("seed", range(40))
def test_no_line_of_a_random_table_gives_away_a_group_of_fewer_than_k(seed):
    counts = random_table(random.Random(seed))

    assert hidden_groups_under_k(table(counts), suppress(counts, K)) == []


def test_two_hidden_cells_in_every_line_are_not_always_enough_the_cycle_rule_closes_the_gap(monkeypatch):
    """Two hidden squares joined by one hidden cell: every line has two hidden numbers, yet summing the
    lines of one square gives the joining cell away. The line rule alone leaves it; the cycle rule
    hides more."""
    grid = table({(r, c): 50 for r in range(4) for c in range(4)})
    hidden = {(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (1, 2)}
    assert determined(grid, hidden) == {(1, 2)}

    while suppression._cycle_rule(grid, hidden):
        pass

    assert determined(grid, hidden) == set()


def test_a_table_of_one_row_hides_a_second_cell_and_the_totals_that_repeat_hidden_cells():
    counts = {
        ("计算机学院", 2022): 2,
        ("计算机学院", 2023): 11,
        ("计算机学院", 2024): 30,
        ("计算机学院", 2025): 25,
    }

    hidden = suppress(counts, K)

    assert hidden == {
        ("计算机学院", 2022),
        ("计算机学院", 2023),
        (TOTAL, 2022),
        (TOTAL, 2023),
    }


def test_a_table_with_nothing_under_k_hides_nothing():
    assert suppress({("甲", 1): 9, ("甲", 2): 9, ("乙", 1): 9, ("乙", 2): 9}, K) == frozenset()

"""Demo data: ``flask --app marketplace seed-demo`` builds 示例大学 — colleges, unions, clubs, classes,
about two hundred students and the fixed demo logins listed in README.md.

Seeding is the list of steps in :mod:`.seed`. Each step finds its rows by their natural keys (a name,
a 学号) before creating them through the areas' operations, so running the command again changes
nothing. A later area adds its demo data as one more step at the end of ``STEPS``.
"""

from .cli import register_demo_cli
from .seed import STEPS, seed

__all__ = ["STEPS", "register_demo_cli", "seed"]

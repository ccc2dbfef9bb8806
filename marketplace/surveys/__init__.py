"""满意度问卷: surveys of the students served, one engine for every subject — a project now (the students
who took part rate it when it enters 评价中), later a union's academic year and a staff member's term.
See docs/evaluation.md."""

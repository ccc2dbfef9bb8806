"""每学年1次同学满意度评价: the union's yearly survey, on the survey engine, and its dashboard."""
